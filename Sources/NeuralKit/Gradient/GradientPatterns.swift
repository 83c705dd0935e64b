/// Recognising the common backpropagation mistakes from the checked entries of a failed check.
///
/// Letters: `a` analytic, `n` numeric (the reported estimate), `ε` the entry's noise floor, `τ` the
/// checker's tolerance. An entry *fits* a hypothesis `a ≈ f(n)` when one of its finite-difference
/// estimates n′ (one for a passing entry, four for a failing one) has relErr(a, f(n′)) within the
/// hypothesis' tolerance: next to a ReLU kink some estimates are off, but not all.
///
/// An entry is *significant* when |a| + |n| > ε/10 and n ≠ 0: there n carries at most a few
/// percent of noise (ε is 1000 noise units, see `LossProbe`), so the ratio a / n is meaningful.
/// A pattern must explain 90 % of the entries it is tested on; for the ratio patterns (1 and 4),
/// 90 % (80 %) of the weight Σ(|a| + |n|) of the significant entries, so that entries near 0,
/// where a batch sum cancels, count little. The patterns are tried in this order:
///
/// 1. one constant c (median of a / n, refined by least squares) fits, relErr(a / c, n) ≤ τ/4.
///    A true constant factor reproduces the noise of a correct gradient (relative errors
///    ≤ 1e-3 measured); the ratio of a δ missing σ′ varies by more. c ≈ 0 → zero gradient;
///    c ≈ −1 → sign flipped; c ≈ 1 → no pattern here; 4 < c ≤ 4.6 → activation derivative
///    missing (1/σ′(z) = 4 + z² + … with every z near 0); otherwise a constant factor c;
/// 2. transposed (matrices only): a read as a (C, R) matrix ≈ nᵀ within 2τ, i.e. a[i, j] ≈ n[j, i]
///    when square;
/// 3. few wrong entries: at least 2 entries checked, at most max(1, ¼ of them) fail, and the
///    others look like a correct gradient — at least 90 % of the passing entries within τ/4 (a
///    correct gradient's noise, ≤ 2.4e-3 measured). A formula that is slightly wrong everywhere
///    (σ′ evaluated without the bias: errors of a few percent spread over every entry) fails a few
///    entries and leaves the others just under τ: that is not "a few wrong entries"
///    (`derivativeWithoutBiasIsNotMisnamed` in the tests);
/// 4. activation derivative missing: |a| > |n| for ≥ 80 % of the weight and the median of
///    |a / n| ≥ 2 (σ′ ≤ ¼ makes single-sample ratios ≥ 4; batch sums mix them). tanh′ ≤ 1 is too
///    weak for this: median ratios 0.9–3.5 were measured, so it is mostly left unexplained;
/// 5. otherwise unexplained: the report then says what differs (how many entries, and the spread of
///    analytic / numeric) without naming a mistake.
///
/// The constant factor's cause is named only when the factor says it (`GradientDiagnosis.factorHint`):
/// a missing 1/N only when the factor is the problem's real N (`GradientChecker.examples`).
struct GradientMeasurement {
    /// Flat (row-major) index of the entry.
    var flatIndex: Int
    var analytic: Double
    /// The finite-difference estimates made, the base-step central difference first.
    var estimates: [Double]
    /// The estimate reported (see `GradientChecker.measure`).
    var numeric: Double
    var floor: Double
    var relativeError: Double
    var passed: Bool
}

enum GradientPatterns {
    /// The fraction of entries a pattern must explain.
    static let explainedFraction = 0.9

    /// The likely mistake behind the failed entries of `measurements`, or nil if none failed.
    /// - Parameters:
    ///   - shape: the parameter's shape.
    ///   - tolerance: τ.
    ///   - estimates: the estimates and noise floor at any flat index (for the transpose test;
    ///     may evaluate the loss).
    static func diagnose(_ measurements: [GradientMeasurement], shape: [Int], tolerance τ: Double,
                         estimates: (Int) -> (estimates: [Double], floor: Double)) -> GradientDiagnosis? {
        let failing = measurements.filter { !$0.passed }
        guard !failing.isEmpty else { return nil }
        let significant = measurements.filter {
            $0.numeric != 0 && Swift.abs($0.analytic) + Swift.abs($0.numeric) > $0.floor / 10
        }
        func explains(_ count: Int, of total: Int) -> Bool {
            total > 0 && Double(count) >= explainedFraction * Double(total)
        }
        /// Σ (|a| + |n|): entries count by their size, so that an entry near 0 — where a batch sum
        /// cancels — cannot outvote the large ones.
        func weight(_ entries: [GradientMeasurement]) -> Double {
            entries.reduce(0) { $0 + Swift.abs($1.analytic) + Swift.abs($1.numeric) }
        }

        // 1. One constant factor: c from the median ratio, refined by least squares over the
        //    entries within 10 % of it (dominated by the largest, most precise entries).
        if !significant.isEmpty {
            let c0 = median(significant.map { $0.analytic / $0.numeric })
            let inliers = significant.filter { Swift.abs($0.analytic / $0.numeric - c0) <= 0.1 * Swift.abs(c0) }
            let c = inliers.isEmpty || c0 == 0 ? c0
                : inliers.reduce(0) { $0 + $1.analytic * $1.numeric } / inliers.reduce(0) { $0 + $1.numeric * $1.numeric }
            let fit = significant.filter { m in
                c == 0 ? m.analytic == 0
                    : m.estimates.contains { gradientRelativeError(m.analytic / c, $0, floor: m.floor) <= τ / 4 }
            }
            if weight(fit) >= explainedFraction * weight(significant) && gradientRelativeError(c, 1, floor: 0) > τ / 4 {
                if Swift.abs(c) < 1e-3 { return .analyticIsZero }
                if gradientRelativeError(c, -1, floor: 0) <= τ / 4 { return .signFlipped }
                if c > 4 * 1.002 && c <= 4.6 {
                    let ratios = significant.map { Swift.abs($0.analytic / $0.numeric) }.sorted()
                    return .activationDerivativeMissing(medianRatio: Float(c), lowRatio: Float(percentile(ratios, 0.1)),
                                                        highRatio: Float(percentile(ratios, 0.9)))
                }
                return .constantFactor(factor: Float(c))
            }
        }

        // 2. Transposed: analytic flat k, read as a (C, R) matrix, is nᵀ at (k / R, k % R),
        //    i.e. n at (k % R, k / R).
        if shape.count == 2 && shape[0] >= 2 && shape[1] >= 2 {
            let (rows, columns) = (shape[0], shape[1])
            var fit = 0
            for m in measurements {
                let partner = estimates((m.flatIndex % rows) * columns + m.flatIndex / rows)
                let floor = Swift.max(m.floor, partner.floor)
                if partner.estimates.contains(where: { gradientRelativeError(m.analytic, $0, floor: floor) <= 2 * τ }) {
                    fit += 1
                }
            }
            if explains(fit, of: measurements.count) {
                return .transposed(square: rows == columns)
            }
        }

        // 3. A few wrong entries.
        let passing = measurements.filter(\.passed)
        let cleanPassing = passing.filter { $0.relativeError <= τ / 4 }
        if measurements.count >= 2 && failing.count <= Swift.max(1, measurements.count / 4)
            && explains(cleanPassing.count, of: passing.count) {
            let worst = failing.sorted { $0.relativeError > $1.relativeError }.prefix(5)
            return .fewWrongEntries(indices: worst.map { multiIndex($0.flatIndex, shape: shape) },
                                    count: failing.count)
        }

        // 4. Activation derivative left out: consistently larger by a varying factor.
        if significant.count >= 2 {
            let ratios = significant.map { Swift.abs($0.analytic / $0.numeric) }.sorted()
            let larger = significant.filter { Swift.abs($0.analytic) > Swift.abs($0.numeric) }
            let middle = median(ratios)
            if weight(larger) >= 0.8 * weight(significant) && middle >= 2 {
                return .activationDerivativeMissing(
                    medianRatio: Float(middle),
                    lowRatio: Float(percentile(ratios, 0.1)),
                    highRatio: Float(percentile(ratios, 0.9)))
            }
        }

        var spread: [Float]? = nil
        if !significant.isEmpty {
            let ratios = significant.map { $0.analytic / $0.numeric }.sorted()
            spread = [0.1, 0.5, 0.9].map { Float(percentile(ratios, $0)) }
        }
        return .unexplained(count: failing.count, checked: measurements.count, ratios: spread)
    }

    /// The median (the mean of the two middle values for an even count).
    static func median(_ values: [Double]) -> Double {
        let s = values.sorted()
        let m = s.count / 2
        return s.count % 2 == 1 ? s[m] : (s[m - 1] + s[m]) / 2
    }

    /// The value at fraction `p` of the sorted values (nearest rank).
    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        sorted[Swift.min(sorted.count - 1, Swift.max(0, Int((p * Double(sorted.count - 1)).rounded())))]
    }

    /// The multi-index of a flat row-major index.
    static func multiIndex(_ flat: Int, shape: [Int]) -> [Int] {
        var rest = flat
        var index = [Int](repeating: 0, count: shape.count)
        for axis in stride(from: shape.count - 1, through: 0, by: -1) where shape[axis] > 0 {
            index[axis] = rest % shape[axis]
            rest /= shape[axis]
        }
        return index
    }
}
