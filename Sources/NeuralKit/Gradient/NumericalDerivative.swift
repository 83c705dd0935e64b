/// Finite-difference estimates of ∂L/∂x_k for one entry k of a parameter tensor, with the loss
/// L evaluated in `Float` by tensor code and every difference formed in `Double`.
///
/// Letters: `L` the loss, `x` the entry's value, `h` the step, `ε = Float.ulpOfOne ≈ 1.19e-7`.
///
/// - Base step `h = ∛ε · max(1, |x|) ≈ 4.92e-3 · max(1, |x|)`. The central difference
///   `(L(x + h) − L(x − h)) / 2h` has truncation error `L‴·h²/6` and roundoff about `ε·|L| / h`;
///   `h = ∛ε` balances the two.
/// - The steps actually taken are `x ± h` rounded to `Float`; the quotient divides by their exact
///   distance, so rounding the perturbed value costs nothing.
/// - More estimates for an entry whose base estimate disagrees with the analytic value: the
///   second-order one-sided differences at `h` on either side,
///   `(−3L(x) + 4L(x + h) − L(x + 2h)) / 2h` and its mirror (exact on the side away from a ReLU
///   kink, with about 3× the base roundoff), and the central difference at `h/10` (unaffected by
///   a kink between h/10 and h, with 10× the roundoff). A step of h/100 was tried and dropped:
///   its roundoff (≈ 1e-2 relative) made it useless in Float32.
/// - Roundoff of the loss: measured on the test networks, |a − n| ≤ 2.3·ε·|L| / h for correct
///   gradients, hence the noise floor of the relative error, 1000 of these units.
struct LossProbe {
    /// The parameter tensor, perturbed one entry at a time and always restored.
    private var point: Tensor
    private let loss: (Tensor) -> Float
    /// L at the unperturbed parameters.
    let baseLoss: Double
    /// How many times the loss was evaluated (the base evaluation included).
    private(set) var evaluations = 1

    /// `∛ε` for `Float`: the base step for entries with |x| ≤ 1.
    static let baseStepFactor: Double = cubeRoot(Double(Float.ulpOfOne))

    /// The multiple of the roundoff scale `ε·|L| / h` below which |a| + |n| is not trusted as a
    /// denominator of the relative error (see `GradientChecker`).
    static let noiseFloorMultiple: Double = 1000

    init(point: Tensor, loss: @escaping (Tensor) -> Float) {
        self.point = point
        self.loss = loss
        self.baseLoss = Double(loss(point))
    }

    static func cubeRoot(_ v: Double) -> Double {
        // Newton's iteration from a power-of-two start; exact enough for a step size, and the
        // same bits on every platform.
        var r = 1.0
        for _ in 0..<100 { r = (2 * r + v / (r * r)) / 3 }
        return r
    }

    /// The base step for an entry of value `x`.
    static func baseStep(for x: Float) -> Double { baseStepFactor * Swift.max(1, Double(Swift.abs(x))) }

    /// The noise floor ε of the relative error for an entry probed with step `h`:
    /// `noiseFloorMultiple · ε_Float · |L| / h`.
    func noiseFloor(step h: Double) -> Double {
        LossProbe.noiseFloorMultiple * Double(Float.ulpOfOne) * Swift.abs(baseLoss) / h
    }

    /// L with entry `k` set to `value`.
    mutating func loss(at k: Int, value: Float) -> Double {
        let saved = point.scalars[k]
        point.scalars[k] = value
        evaluations += 1
        let result = Double(loss(point))
        point.scalars[k] = saved
        return result
    }

    /// The value of entry `k`.
    func value(at k: Int) -> Float { point.scalars[k] }

    /// One central difference at entry `k` with step `h`, and the two points it used
    /// (offset from x, loss there) for reuse by the one-sided formulas.
    mutating func central(at k: Int, step h: Double)
        -> (estimate: Double, plus: (offset: Double, loss: Double), minus: (offset: Double, loss: Double))
    {
        let x = Double(value(at: k))
        let xPlus = Float(x + h), xMinus = Float(x - h)
        let lPlus = loss(at: k, value: xPlus), lMinus = loss(at: k, value: xMinus)
        let estimate = (lPlus - lMinus) / (Double(xPlus) - Double(xMinus))
        return (estimate, (Double(xPlus) - x, lPlus), (Double(xMinus) - x, lMinus))
    }

    /// The second-order one-sided difference from the points 0, t₁, t₂ on one side of x
    /// (`t₁` already evaluated, `t₂ ≈ 2t₁` evaluated here): the derivative at 0 of the parabola
    /// through (0, L₀), (t₁, L₁), (t₂, L₂), i.e.
    /// `L₀·(−(t₁ + t₂) / (t₁t₂)) + L₁·t₂ / (t₁(t₂ − t₁)) − L₂·t₁ / (t₂(t₂ − t₁))`.
    mutating func oneSided(at k: Int, near first: (offset: Double, loss: Double)) -> Double {
        let x = Double(value(at: k))
        let t1 = first.offset
        let xFar = Float(x + 2 * t1)
        let t2 = Double(xFar) - x
        let l2 = loss(at: k, value: xFar)
        let l0 = baseLoss, l1 = first.loss
        return l0 * (-(t1 + t2) / (t1 * t2)) + l1 * t2 / (t1 * (t2 - t1)) - l2 * t1 / (t2 * (t2 - t1))
    }
}

/// The relative error `|a − n| / max(floor, |a| + |n|)`, 0 when a = n (also when both are 0),
/// +∞ when either is NaN or ∞.
func gradientRelativeError(_ a: Double, _ n: Double, floor: Double) -> Double {
    guard a.isFinite && n.isFinite else { return .infinity }
    let difference = Swift.abs(a - n)
    if difference == 0 { return 0 }
    return difference / Swift.max(floor, Swift.abs(a) + Swift.abs(n))
}
