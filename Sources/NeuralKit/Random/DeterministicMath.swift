/// `log`, `exp`, `sin` and `cos` for `Double`, computed with only IEEE basic operations (+, −, ×, ÷,
/// √), so they give bit-identical results on every platform.
///
/// The platform's math library (glibc on Linux, libm on macOS) may differ in the last bit, and a
/// single differing bit in a random sample changes every number that follows from it. Everything
/// random in the toolkit (normal samples, the angles of `circles` and `moons`) goes through these.
/// Accuracy: `log` and `exp` within a few units in the last place; `sin` and `cos` within a few
/// ulps of 1 in absolute terms (≈1e-15 for |x| ≲ 10; relatively worse near their zeros). Ample
/// for sampling, not meant for numerics.
public enum DeterministicMath {
    private static let ln2 = 0.693_147_180_559_945_309_417_232_121_458
    private static let ln2High = 6.931_471_803_691_238_164_90e-01   // 0x3FE62E42FEE00000
    private static let ln2Low = 1.908_214_929_270_587_700_02e-10    // ln2 − ln2High
    private static let twoPi = 6.283_185_307_179_586_476_925_286_766_559

    /// Natural logarithm for `x > 0` (series of atanh after reducing `x = m·2^e`, m ∈ [√½, √2)).
    public static func log(_ x: Double) -> Double {
        if x.isNaN || x < 0 { return .nan }
        if x == 0 { return -.infinity }
        if x.isInfinite { return .infinity }
        var m = x.significand           // [1, 2), exact
        var e = Double(x.exponent)      // exact
        if m > 1.414_213_562_373_095_1 { m /= 2; e += 1 }
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var term = s
        var sum = 0.0
        var k = 1.0
        for _ in 0..<14 {
            sum += term / k
            term *= s2
            k += 2
        }
        return e * ln2 + 2 * sum
    }

    /// Exponential (reduce `x = k·ln2 + r`, |r| ≤ ln2/2, with ln2 in two parts so that r keeps its
    /// bits, then a Taylor series for e^r).
    public static func exp(_ x: Double) -> Double {
        if x.isNaN { return .nan }
        if x > 709.78 { return .infinity }
        if x < -745.2 { return 0 }
        let k = (x / ln2).rounded()
        // Cody–Waite: ln2 split so that k·ln2High is exact for |k| < 2^20, hence r loses no bits.
        let r = (x - k * ln2High) - k * ln2Low
        // Horner form of Σ rⁿ/n!, n ≤ 18, summed from the smallest term up.
        var sum = 1.0
        for n in stride(from: 18, through: 1, by: -1) {
            sum = 1 + sum * r / Double(n)
        }
        // Scale by 2^k in two steps so that subnormal results stay correct.
        let half = (k / 2).rounded(.towardZero)
        return sum * Double(sign: .plus, exponent: Int(half), significand: 1)
                   * Double(sign: .plus, exponent: Int(k - half), significand: 1)
    }

    /// Sine (reduce to [−π, π], then a Taylor series).
    public static func sin(_ x: Double) -> Double {
        let r = reduce(x)
        let r2 = r * r
        var term = r
        var sum = r
        var n = 1.0
        for _ in 0..<14 {
            term *= -r2 / ((n + 1) * (n + 2))
            sum += term
            n += 2
        }
        return sum
    }

    /// Cosine (reduce to [−π, π], then a Taylor series).
    public static func cos(_ x: Double) -> Double {
        let r = reduce(x)
        let r2 = r * r
        var term = 1.0
        var sum = 1.0
        var n = 0.0
        for _ in 0..<15 {
            term *= -r2 / ((n + 1) * (n + 2))
            sum += term
            n += 2
        }
        return sum
    }

    private static func reduce(_ x: Double) -> Double {
        x - twoPi * (x / twoPi).rounded()
    }
}
