import Foundation

// How a result differs from the expected one by a single constant factor, said only on strong
// evidence (Lessons/README.md, "Checks that hold", rule 4). The lessons' graders build their notes
// on this: the rule is shared, what a factor means (N, 1/N, T steps, D pixels) is each lesson's.

/// The constant c with got = c·expected, when the numbers show it:
/// - at least 2 non-zero expected entries, and not all of them equal (a factor between two
///   constant vectors says nothing about the formula); ‖e‖² > 10⁻²⁰; every got entry finite;
/// - c = ⟨g, e⟩ / ‖e‖² (least squares), with residual ‖g − c·e‖² ≤ 10⁻⁶·‖e‖²·max(1, c²);
/// - |c − 1| ≥ 1 %: closer factors are rounding or an unrelated slip, not named.
///
/// An all-zero result gives c = 0; a flipped sign c = −1.
/// - Parameters:
///   - got: the student's entries g (row-major, as Double).
///   - expected: the reference's entries e, as many as `got`.
/// - Returns: c, or nil when the evidence is not strong.
public func commonFactor(got g: [Double], expected e: [Double]) -> Double? {
    guard g.count == e.count else { return nil }
    let dot = zip(g, e).reduce(0) { $0 + $1.0 * $1.1 }
    let ee = e.reduce(0) { $0 + $1 * $1 }
    guard ee > 1e-20, e.filter({ $0 != 0 }).count >= 2, Set(e).count >= 2, g.allSatisfy(\.isFinite) else { return nil }
    let c = dot / ee
    let residual = zip(g, e).reduce(0) { $0 + ($1.0 - c * $1.1) * ($1.0 - c * $1.1) }
    guard residual <= 1e-6 * ee * max(1, c * c), abs(c - 1) >= 1e-2 else { return nil }
    return c
}

/// Whether a factor c is `target` to 0.2 %: |c − target| ≤ 2·10⁻³·|target| (a true factor of N,
/// 1/N, 2 … is found to about 10⁻⁶; an unrelated one rarely lands this close).
public func factor(_ c: Double, isNear target: Double) -> Bool {
    abs(c - target) <= 2e-3 * abs(target)
}

/// The note on a result that is the expected one times a constant (`commonFactor`), or nil:
/// "Every entry is 0." when it is all zeros; "Every entry has the wrong sign: is a sign flipped?"
/// for c = −1 (to 10⁻³); otherwise "Every entry is c× the expected one", followed by
/// ": " + `naming(c)` when the lesson recognises the factor, else by ".".
///
///     factorNote(got: g, expected: e) { c in
///         factor(c, isNear: Double(N)) ? "N = \(N), the batch size." : nil
///     }
/// - Parameters:
///   - got: the student's entries (row-major, as Double).
///   - expected: the reference's entries, as many as `got`.
///   - naming: what the factor c means in the lesson, tested precisely (e.g. `factor(c, isNear: Double(N))`
///     for the problem's real N), or nil.
public func factorNote(got: [Double], expected: [Double], naming: (Double) -> String? = { _ in nil }) -> String? {
    guard let c = commonFactor(got: got, expected: expected) else { return nil }
    if got.allSatisfy({ $0 == 0 }) { return "Every entry is 0." }
    if abs(c + 1) < 1e-3 { return "Every entry has the wrong sign: is a sign flipped?" }
    let statement = "Every entry is \(String(format: "%.4g", c))× the expected one"
    if let meaning = naming(c) { return statement + ": " + meaning }
    return statement + "."
}
