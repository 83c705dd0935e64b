import NeuralKit
import Testing

/// Checks a gradient-check report: on failure records the report (the worst entry with its
/// parameter, index, analytic and numeric values and relative error, a few entries marked OK / NOT
/// OK) and the likely mistake (sign flipped, transposed, a constant factor, the activation
/// derivative missing, a few wrong entries).
/// - Returns: whether the gradient passed.
@discardableResult
public func expectGradient(_ report: GradientCheckReport,
                           sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    guard !report.passed else { return true }
    var message = "the gradient ∂C/∂\(report.parameterName) does not match the numerical gradient\n\(report.description)"
    if let advice = report.advice, !report.description.contains(advice) { message += "\n\(advice)" }
    recordFailure(message, sourceLocation: sourceLocation)
    return false
}

/// `expectGradient` for several reports (e.g. one per parameter); records each that fails.
/// - Returns: whether all passed.
@discardableResult
public func expectGradients(_ reports: [GradientCheckReport],
                            sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    reports.map { expectGradient($0, sourceLocation: sourceLocation) }.allSatisfy { $0 }
}
