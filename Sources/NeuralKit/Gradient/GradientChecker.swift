/// Checks an analytic gradient against finite differences of the loss, entry by entry, and names
/// the likely mistake when they disagree.
///
/// The loss is seen as a function of one parameter tensor with everything else fixed:
///
///     let checker = GradientChecker()
///     let report = checker.check(name: "W1", at: net.W1, analytic: grads.W1) { W1 in
///         var n = net; n.W1 = W1; return loss(n)
///     }
///     print(report)          // W1 (4, 5): OK  worst rel.err 2.1e-04 at W1[1, 3]  (…)
///
/// For entry k with value x, analytic derivative a and numeric derivative n:
///
/// - n is the central difference `(L(x + h) − L(x − h)) / 2h` with `h = ∛ε·max(1, |x|)`,
///   `ε = Float.ulpOfOne` (h ≈ 4.9e-3 for |x| ≤ 1): the loss is computed in Float32, so its
///   roundoff (about ε·|L|, divided by 2h) dominates small steps, while the truncation error
///   L‴h²/6 grows with h; the cube root balances them.
/// - When that estimate is not within τ/4 of a, three more are made — second-order one-sided
///   differences at h on either side and a central difference at h/10 — and the entry passes if
///   any is within τ. A ReLU kink within h of x spoils the central difference; the side away from
///   the kink, or the smaller step, is not affected. (Measured on the test networks: the base
///   estimate misses at about 1 % of ReLU entries and one of the others always agrees.)
///   A failing entry reports the estimate of the two that agree best with each other.
/// - The relative error is `|a − n| / max(ε_floor, |a| + |n|)` with the noise floor
///   `ε_floor = 1000·ε·|L| / h` (≈ 0.024·|L| for |x| ≤ 1): n is only known to about
///   2·ε·|L| / h (measured at most 2.3 of these units), so entries smaller than the floor are
///   compared absolutely, |a − n| ≤ τ·ε_floor, instead of relatively to their own noise.
/// - An entry passes when its relative error is ≤ `tolerance` τ (1e-2 by default). Correct
///   gradients of the small test networks stay below 2.4e-3 (smooth: 1.1e-3); the mistakes
///   students make give errors of order 1 (a sign flip gives 1, a factor N gives (N − 1)/(N + 1)).
///
/// The loss should be an average over a small batch, with a small network: the floor scales with
/// |L|, so gradients much smaller than 1 % of the loss are compared against the floor only.
///
/// Parameters with at most `exhaustiveLimit` entries are checked entry by entry; larger ones at a
/// sample of `sampleCount` entries drawn with `seed`, the same sample on every platform. A check
/// costs about 2 loss evaluations per checked entry (up to 6 at an entry that disagrees).
///
/// When the check fails, `GradientCheckReport.diagnosis` names the likely mistake (see
/// `GradientDiagnosis` and `GradientPatterns`).
public struct GradientChecker: Sendable {
    /// The largest relative error an entry may have and pass.
    public var tolerance: Float
    /// How many entries are checked in a parameter with more than `exhaustiveLimit` entries.
    public var sampleCount: Int
    /// Parameters with at most this many entries are checked at every entry.
    public var exhaustiveLimit: Int
    /// The seed of the sample of entries checked in large parameters.
    public var seed: UInt64
    /// How many entries a report prints.
    public var printedEntryCount: Int
    /// The number of examples N the loss sums or averages over, when the grader knows it: a
    /// constant factor of N (or 1/N) is then named as a missing (or extra) 1/N, and only then.
    public var examples: Int?

    /// - Parameters:
    ///   - tolerance: the largest relative error that passes, > 0.
    ///   - sampleCount: entries checked in a large parameter, ≥ 1.
    ///   - exhaustiveLimit: parameters with at most this many entries are checked completely.
    ///   - seed: the seed of the sample of entries.
    ///   - printedEntryCount: entries shown in a report's description.
    ///   - examples: N, the number of examples in the loss, if known (names a missing 1/N).
    public init(tolerance: Float = 1e-2, sampleCount: Int = 100, exhaustiveLimit: Int = 1000,
                seed: UInt64 = 0, printedEntryCount: Int = 5, examples: Int? = nil) {
        require(tolerance > 0 && tolerance.isFinite, "GradientChecker: tolerance must be a positive number, got \(tolerance)")
        require(sampleCount >= 1, "GradientChecker: sampleCount must be at least 1, got \(sampleCount)")
        require(exhaustiveLimit >= 0, "GradientChecker: exhaustiveLimit must not be negative, got \(exhaustiveLimit)")
        require(printedEntryCount >= 0, "GradientChecker: printedEntryCount must not be negative, got \(printedEntryCount)")
        self.tolerance = tolerance
        self.sampleCount = sampleCount
        self.exhaustiveLimit = exhaustiveLimit
        self.seed = seed
        self.printedEntryCount = printedEntryCount
        self.examples = examples
    }

    /// Checks the analytic gradient of one parameter.
    /// - Parameters:
    ///   - name: the parameter's name for the report, e.g. "W1".
    ///   - parameter: the parameter's current value, any shape.
    ///   - analytic: ∂L/∂parameter from the backward pass being checked; must have the same shape.
    ///   - loss: the loss as a function of this parameter, everything else fixed.
    /// - Returns: the report; it fails at once, without evaluating differences, on a shape mismatch.
    public func check(name: String, at parameter: Tensor, analytic: Tensor,
                      loss: (Tensor) -> Float) -> GradientCheckReport {
        withoutActuallyEscaping(loss) { loss in
            var probe = LossProbe(point: parameter, loss: loss)
            func failure(_ diagnosis: GradientDiagnosis) -> GradientCheckReport {
                GradientCheckReport(parameterName: name, shape: parameter.shape, passed: false,
                                    tolerance: tolerance, loss: Float(probe.baseLoss),
                                    entryCount: parameter.count, checkedCount: 0, failedCount: 0,
                                    worst: nil, entries: [], diagnosis: diagnosis, examples: examples)
            }
            guard analytic.shape == parameter.shape else {
                return failure(.shapeMismatch(parameter: parameter.shape, analytic: analytic.shape))
            }
            guard probe.baseLoss.isFinite else { return failure(.nonFiniteLoss(index: nil)) }

            let τ = Double(tolerance)
            var references: [Int: (estimates: [Double], floor: Double)] = [:]
            var measurements: [GradientMeasurement] = []
            for k in checkedIndices(count: parameter.count) {
                let m = measure(k, analytic: Double(analytic.scalars[k]), probe: &probe, tolerance: τ)
                references[k] = (m.estimates, m.floor)
                measurements.append(m)
            }
            let entries = measurements.map {
                GradientCheckEntry(index: GradientPatterns.multiIndex($0.flatIndex, shape: parameter.shape),
                                   analytic: Float($0.analytic), numeric: Float($0.numeric),
                                   relativeError: Float($0.relativeError), passed: $0.passed)
            }
            let failed = measurements.indices.filter { !measurements[$0].passed }

            var diagnosis: GradientDiagnosis?
            let nonFiniteAnalytic = measurements.filter { !$0.analytic.isFinite }
            if !nonFiniteAnalytic.isEmpty {
                diagnosis = .nonFiniteAnalytic(
                    indices: nonFiniteAnalytic.prefix(5).map { GradientPatterns.multiIndex($0.flatIndex, shape: parameter.shape) },
                    count: nonFiniteAnalytic.count)
            } else if let bad = measurements.first(where: { !$0.estimates[0].isFinite }) {
                diagnosis = .nonFiniteLoss(index: GradientPatterns.multiIndex(bad.flatIndex, shape: parameter.shape))
            } else {
                diagnosis = GradientPatterns.diagnose(measurements, shape: parameter.shape, tolerance: τ) { k in
                    if let known = references[k] { return known }
                    let h = LossProbe.baseStep(for: probe.value(at: k))
                    let value = ([probe.central(at: k, step: h).estimate], probe.noiseFloor(step: h))
                    references[k] = value
                    return value
                }
            }

            // Printed: the worst entries first (the failing ones when it failed), then index order.
            let byError = measurements.indices.sorted {
                (measurements[$0].relativeError, $1) > (measurements[$1].relativeError, $0)
            }
            let leading = failed.isEmpty ? Array(byError.prefix(1)) : Array(byError.prefix(failed.count))
            var shown = Array(leading.prefix(printedEntryCount))
            for i in measurements.indices where shown.count < printedEntryCount && !shown.contains(i) {
                shown.append(i)
            }
            return GradientCheckReport(
                parameterName: name, shape: parameter.shape, passed: failed.isEmpty,
                tolerance: tolerance, loss: Float(probe.baseLoss), entryCount: parameter.count,
                checkedCount: measurements.count, failedCount: failed.count,
                worst: byError.first.map { entries[$0] }, entries: shown.map { entries[$0] },
                diagnosis: diagnosis, examples: examples)
        }
    }

    /// Checks several parameters of one model, each with the others fixed, in the given order.
    ///
    ///     let reports = checker.check(net, parameters: [
    ///         ("W1", \.W1, grads.W1), ("b1", \.b1, grads.b1),
    ///     ]) { n in loss(n) }
    ///
    /// - Parameters:
    ///   - model: the model at which the gradient is checked (a value; a class instance is
    ///     perturbed in place and restored after each parameter).
    ///   - parameters: name, key path and analytic gradient of each parameter.
    ///   - loss: the loss of a model.
    /// - Returns: one report per parameter, in order.
    public func check<Model>(_ model: Model,
                             parameters: [(name: String, keyPath: WritableKeyPath<Model, Tensor>, analytic: Tensor)],
                             loss: (Model) -> Float) -> [GradientCheckReport] {
        var probe = model
        return parameters.map { parameter in
            let original = probe[keyPath: parameter.keyPath]
            defer { probe[keyPath: parameter.keyPath] = original }
            return check(name: parameter.name, at: original, analytic: parameter.analytic) { value in
                probe[keyPath: parameter.keyPath] = value
                return loss(probe)
            }
        }
    }

    /// The relative error of every entry: `|a − n| / max(floor, |a| + |n|)`; 0 when a = n (also
    /// when both are 0), +∞ when either is NaN or ∞.
    public static func relativeError(analytic a: Float, numeric n: Float, floor: Float = 0) -> Float {
        Float(gradientRelativeError(Double(a), Double(n), floor: Double(floor)))
    }

    /// The flat (row-major) indices checked in a parameter of `count` entries: all of them up to
    /// `exhaustiveLimit`, otherwise `sampleCount` distinct ones drawn with `seed` (partial
    /// Fisher–Yates), in increasing order.
    public func checkedIndices(count: Int) -> [Int] {
        guard count > exhaustiveLimit && count > sampleCount else { return Array(0..<count) }
        var generator = SeededGenerator(seed: seed)
        var pool = Array(0..<count)
        for i in 0..<sampleCount {
            let j = i + generator.nextInt(below: count - i)
            pool.swapAt(i, j)
        }
        return pool[0..<sampleCount].sorted()
    }

    /// The numeric derivative at entry k: the base-step central difference; when it is not within
    /// τ/4 of a (correct smooth gradients stay below 1e-3), the other three estimates too. An entry passes if any estimate is within τ of a, and
    /// then reports that estimate; a failing entry reports the estimate of the two that agree best
    /// with each other (a kink spoils at most some of them, and never in the same way).
    private func measure(_ k: Int, analytic a: Double, probe: inout LossProbe,
                         tolerance τ: Double) -> GradientMeasurement {
        let h = LossProbe.baseStep(for: probe.value(at: k))
        let floor = probe.noiseFloor(step: h)
        let base = probe.central(at: k, step: h)
        var estimates = [base.estimate]
        let baseError = gradientRelativeError(a, base.estimate, floor: floor)
        guard baseError > τ / 4 && a.isFinite && base.estimate.isFinite else {
            return GradientMeasurement(flatIndex: k, analytic: a, estimates: estimates, numeric: base.estimate,
                                       floor: floor, relativeError: baseError, passed: baseError <= τ)
        }
        estimates.append(probe.oneSided(at: k, near: base.plus))
        estimates.append(probe.oneSided(at: k, near: base.minus))
        estimates.append(probe.central(at: k, step: h / 10).estimate)
        let errors = estimates.map { gradientRelativeError(a, $0, floor: floor) }
        let closest = errors.indices.min { errors[$0] < errors[$1] }!
        if errors[closest] <= τ {
            return GradientMeasurement(flatIndex: k, analytic: a, estimates: estimates, numeric: estimates[closest],
                                       floor: floor, relativeError: errors[closest], passed: true)
        }
        var (first, gap) = (0, Double.infinity)
        for i in estimates.indices {
            for j in (i + 1)..<estimates.count where Swift.abs(estimates[i] - estimates[j]) < gap {
                (first, gap) = (i, Swift.abs(estimates[i] - estimates[j]))
            }
        }
        return GradientMeasurement(flatIndex: k, analytic: a, estimates: estimates, numeric: estimates[first],
                                   floor: floor, relativeError: errors[first], passed: false)
    }
}
