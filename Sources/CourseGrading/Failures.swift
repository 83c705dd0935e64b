import Testing

/// Records a failed check with `message`, naming the seed when several are being tried.
/// Graders use it for messages of their own (the `expect…` helpers use it too).
public func recordFailure(_ message: String, sourceLocation: SourceLocation = #_sourceLocation) {
    Issue.record(Comment(rawValue: message + GradingSeed.messageSuffix), sourceLocation: sourceLocation)
}

/// Guards a check that calls a function checked elsewhere: when `works()` is false, records
/// "this check uses `function`, which does not work yet: fix it first (…)" and returns false, so
/// the check stops instead of blaming the function it is about.
///
///     guard requireWorking("stepActivation", for: "the gates", { stepWorks() }) else { return }
///
/// - Parameters:
///   - function: the name the student knows, e.g. "stepActivation".
///   - what: what this check is about, e.g. "the AND, OR and NAND perceptrons".
///   - detail: what was seen to be wrong, e.g. "stepActivation(0) gave 1, expected 0".
/// - Returns: whether the prerequisite works.
@discardableResult
public func requireWorking(_ function: String, for what: String, detail: String = "",
                           sourceLocation: SourceLocation = #_sourceLocation, _ works: () -> Bool) -> Bool {
    guard !works() else { return true }
    recordFailure("\(what) uses `\(function)`, which does not work yet: fix `\(function)` first (see its own check)"
                  + (detail.isEmpty ? "" : " — \(detail)"), sourceLocation: sourceLocation)
    return false
}
