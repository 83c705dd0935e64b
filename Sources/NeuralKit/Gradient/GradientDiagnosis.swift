import Foundation

/// The likely mistake behind a failed gradient check, recognised from how the analytic gradient
/// `a` differs from the numeric one `n` over the checked entries. Graders show
/// `explanation(parameterName:)` to students.
///
/// Shape letters in the messages: `N` batch size, `D` features, `H` hidden units.
public enum GradientDiagnosis: Sendable, Equatable, Codable {
    /// The analytic tensor's shape differs from the parameter's; nothing was compared.
    case shapeMismatch(parameter: [Int], analytic: [Int])
    /// The analytic gradient holds NaN or ±∞ (`count` entries; the first few listed).
    case nonFiniteAnalytic(indices: [[Int]], count: Int)
    /// The loss is NaN or ±∞ at the given parameters (`index` nil) or next to them, when entry
    /// `index` is moved by the finite-difference step.
    case nonFiniteLoss(index: [Int]?)
    /// a ≈ 0 where n is not: the gradient is never computed or gets overwritten.
    case analyticIsZero
    /// a ≈ −n at (nearly) every checked entry.
    case signFlipped
    /// a ≈ c·n for one constant c (not 1, not −1) at (nearly) every checked entry.
    case constantFactor(factor: Float)
    /// A matrix gradient holds the numeric gradient's transpose: a[i, j] ≈ n[j, i] when the matrix
    /// is square, or, for a (R, C) matrix, a's values read as a (C, R) matrix equal nᵀ (a (C, R)
    /// result reshaped to (R, C) instead of transposed).
    case transposed(square: Bool)
    /// |a| > |n| at most entries by a factor that varies between entries (median, and the 10th and
    /// 90th percentiles of |a / n|): what leaving out σ′(z) ≤ ¼ (or tanh′(z) ≤ 1) does to a δ.
    case activationDerivativeMissing(medianRatio: Float, lowRatio: Float, highRatio: Float)
    /// Most entries match; `count` of the checked entries do not (the worst few listed).
    case fewWrongEntries(indices: [[Int]], count: Int)
    /// `count` of `checked` entries differ, with none of the patterns above. `ratios` are the
    /// 10th, 50th and 90th percentiles of analytic / numeric over the entries large enough for the
    /// ratio to mean something (nil when there are none): what differs, said without a guess.
    case unexplained(count: Int, checked: Int, ratios: [Float]? = nil)

    /// A few words naming the mistake, e.g. "sign flipped".
    public var title: String {
        switch self {
        case .shapeMismatch: "shape mismatch"
        case .nonFiniteAnalytic: "NaN or ∞ in the analytic gradient"
        case .nonFiniteLoss: "NaN or ∞ in the loss"
        case .analyticIsZero: "analytic gradient is zero"
        case .signFlipped: "sign flipped"
        case .constantFactor: "off by a constant factor"
        case .transposed: "transposed"
        case .activationDerivativeMissing: "activation derivative missing"
        case .fewWrongEntries: "a few wrong entries"
        case .unexplained: "no simple pattern"
        }
    }

    /// Whether this names a likely mistake (a pattern matched) rather than only saying what differs.
    public var isGuess: Bool {
        if case .unexplained = self { return false }
        return true
    }

    /// The message for a student: what was seen and where to look.
    /// - Parameters:
    ///   - name: the parameter's name, used to write indices as `W1[2, 0]`.
    ///   - examples: the number of examples N in the loss, when known: a factor is called a
    ///     missing or extra 1/N only when it is this N.
    public func explanation(parameterName name: String, examples: Int? = nil) -> String {
        func entries(_ indices: [[Int]]) -> String {
            indices.map { GradientCheckEntry.label(name, $0) }.joined(separator: ", ")
        }
        switch self {
        case let .shapeMismatch(parameter, analytic):
            return "The analytic gradient has shape \(Tensor.describe(analytic)) but \(name) has shape "
                + "\(Tensor.describe(parameter)); a gradient always has its parameter's shape. "
                + GradientDiagnosis.shapeHint(parameter: parameter, analytic: analytic)
        case let .nonFiniteAnalytic(indices, count):
            return "The analytic gradient contains NaN or ∞ (\(count) \(count == 1 ? "entry" : "entries"), "
                + "at \(entries(indices))\(count > indices.count ? ", …" : "")). Look for a division by zero, "
                + "log(0), or an exp that overflows in the backward pass."
        case let .nonFiniteLoss(index):
            let place = index.map { "when \(GradientCheckEntry.label(name, $0)) is moved by the step h" }
                ?? "at the given parameters"
            return "The loss is NaN or ∞ \(place), so no gradient can be checked. Look for log(0) or an "
                + "overflowing exp in the forward pass (use a stable softmax / log-softmax)."
        case .analyticIsZero:
            return "The analytic gradient is zero where the numeric one is not. Is the gradient of \(name) "
                + "computed at all, or is it overwritten or reset before it is returned?"
        case .signFlipped:
            return "The analytic gradient has the wrong sign: analytic ≈ −numeric at every checked entry. "
                + "Look for (y − a) instead of (a − y), or a minus sign that belongs to the update step "
                + "(W −= η·∂L/∂W) put into the gradient."
        case let .constantFactor(c):
            return "The analytic gradient is off by a constant factor: analytic ≈ "
                + "\(GradientDiagnosis.format(c)) × numeric at every checked entry. "
                + GradientDiagnosis.factorHint(c, examples: examples)
        case let .transposed(square):
            if square {
                return "The analytic gradient is the transpose of the numeric one: analytic[i, j] ≈ "
                    + "numeric[j, i]. Swap the factors of the product (e.g. Xᵀ·δ instead of δᵀ·X), or "
                    + "transpose the result."
            }
            return "The analytic gradient has the right shape but holds the transposed gradient's values "
                + "in the wrong order: a (C, R) result was reshaped to (R, C) instead of transposed. "
                + "Compute it in the parameter's orientation (e.g. Xᵀ·δ), or use .T, not reshaped."
        case let .activationDerivativeMissing(median, low, high):
            let factor = GradientDiagnosis.format(low) == GradientDiagnosis.format(high)
                ? "by a factor of ×\(GradientDiagnosis.format(median))"
                : "by a factor that varies between entries (median ×\(GradientDiagnosis.format(median)), from "
                    + "×\(GradientDiagnosis.format(low)) to ×\(GradientDiagnosis.format(high)))"
            return "The analytic gradient is consistently larger than the numeric one, \(factor). That is what "
                + "leaving out an activation derivative does: σ′(z) ≤ ¼ (tanh′(z) ≤ 1), so a δ without it "
                + "is several times too large. Check that each δ is multiplied by σ′(z), element by element."
        case let .fewWrongEntries(indices, count):
            return "Most entries match, but \(count) \(count == 1 ? "does" : "do") not: \(entries(indices))"
                + "\(count > indices.count ? ", …" : ""). Look for an index mistake or a special case: "
                + "a loop bound, an off-by-one, one row or column handled differently."
        case let .unexplained(count, checked, ratios):
            var text = "\(count) of \(checked) checked entries differ"
            if let ratios, ratios.count == 3 {
                let (low, middle, high) = (ratios[0], ratios[1], ratios[2])
                text += GradientDiagnosis.format(low) == GradientDiagnosis.format(high)
                    ? "; analytic / numeric is about \(GradientDiagnosis.format(middle)) at most entries"
                    : "; analytic / numeric varies from \(GradientDiagnosis.format(low)) to "
                        + "\(GradientDiagnosis.format(high)) between entries (median \(GradientDiagnosis.format(middle)))"
            }
            return text + ", with no pattern that points to one mistake (not a sign flip, one constant factor, "
                + "a transpose, a few wrong entries or a left-out activation derivative). Re-derive the "
                + "backward pass one step at a time and check each intermediate value on its own "
                + "(is every derivative evaluated at the right pre-activation, bias included?)."
        }
    }

    static func format(_ v: Float) -> String {
        Swift.abs(v) >= 0.01 && Swift.abs(v) < 1000 ? String(format: "%.3g", Double(v)) : String(format: "%.2e", Double(v))
    }

    /// Where a constant factor c may come from. Rules (|c| is "k" when within 0.5 % of the whole
    /// number k ≥ 2, "1/k" likewise for 1/|c|):
    /// - k = N or 1/k = 1/N, for the problem's real N (`examples`): a missing / extra 1/N;
    /// - k = 2 or ½: a ½ of the cost differentiated wrongly (and 1/N as well if N = 2);
    /// - another whole k or 1/k: said as such, with 1/N offered only as a question when N is unknown;
    /// - anything else: only the factor, and where constants live.
    static func factorHint(_ c: Float, examples: Int? = nil) -> String {
        let sign = c < 0 ? " The sign is flipped as well." : ""
        let m = Double(Swift.abs(c))
        func nearInteger(_ v: Double) -> Int? {
            let k = v.rounded()
            return k >= 2 && k <= 1_000_000 && Swift.abs(v - k) <= 0.005 * k ? Int(k) : nil
        }
        let N = examples.flatMap { $0 >= 2 ? $0 : nil }
        if m > 1, let k = nearInteger(m) {
            if k == N {
                return "The factor is N = \(k), the number of examples: the average over the batch (1/N) "
                    + "was not taken, or a sum over the examples was counted where a mean belongs." + sign
            }
            if k == 2 {
                return "A factor of 2 usually means a missing ½: the cost ½‖a − y‖² differentiated as "
                    + "2(a − y) instead of (a − y)." + sign
            }
            let question = N == nil ? " If the batch has N = \(k) examples, a 1/N is missing." : ""
            return "The factor is the whole number \(k): something is counted \(k) times, or a division by \(k) "
                + "is missing.\(question)" + sign
        }
        if m < 1, let k = nearInteger(1 / m) {
            if k == N {
                return "The factor is 1/N, N = \(k) the number of examples: the average over the batch was "
                    + "taken twice (or the gradient divided by N once too often)." + sign
            }
            if k == 2 {
                return "A factor of ½ usually means a missing factor 2: the derivative of (a − y)² is "
                    + "2(a − y)." + sign
            }
            let question = N == nil ? " If the batch has N = \(k) examples, an extra 1/N is taken." : ""
            return "The factor is 1/\(k): something is divided by \(k) once too often.\(question)" + sign
        }
        return "The formula looks right up to that constant: look for a constant applied in the wrong "
            + "place (a learning rate, a regularisation weight λ, a scale)." + sign
    }

    /// What a wrong shape usually means.
    static func shapeHint(parameter: [Int], analytic: [Int]) -> String {
        let p = parameter.reduce(1, *), a = analytic.reduce(1, *)
        if parameter.count == 2 && analytic == [parameter[1], parameter[0]] {
            return "The shape is transposed, the \(Tensor.describe(parameter)) vs \(Tensor.describe(analytic)) "
                + "confusion: swap the factors of the product (e.g. Xᵀ·δ instead of δᵀ·X) or transpose the result."
        }
        if p == a {
            return "It has the same number of entries arranged differently: check keepingDimensions in "
                + "sums, and reshape to \(Tensor.describe(parameter))."
        }
        if analytic.count == parameter.count + 1 && Array(analytic.dropFirst()) == parameter {
            return "It looks like one gradient per sample: sum over the batch axis (sum(axis: 0))."
        }
        if analytic.count == parameter.count && analytic.count >= 1 && Array(analytic.dropFirst()) == Array(parameter.dropFirst()) {
            return "The first dimensions differ (\(analytic[0]) vs \(parameter[0])): check which axis is summed over."
        }
        return "Write down the shape of every factor in the product that computes it."
    }
}
