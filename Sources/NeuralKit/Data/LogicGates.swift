/// The two-input logic gates, the first problems a perceptron is tried on.
///
/// AND, OR and NAND are linearly separable, so a single perceptron learns them; XOR is not, and
/// needs a hidden layer.
public enum LogicGate: String, CaseIterable, Sendable {
    case and, or, nand, xor

    /// The gate's output for inputs a, b ∈ {0, 1}.
    public func output(_ a: Int, _ b: Int) -> Int {
        require((a == 0 || a == 1) && (b == 0 || b == 1),
                     "LogicGate.output: inputs must be 0 or 1, got (\(a), \(b))")
        switch self {
        case .and: return a & b
        case .or: return a | b
        case .nand: return 1 - (a & b)
        case .xor: return a ^ b
        }
    }

    /// The four input pairs in the order (0, 0), (0, 1), (1, 0), (1, 1).
    public static let inputRows: [[Int]] = [[0, 0], [0, 1], [1, 0], [1, 1]]

    /// The truth table: `inputs` of shape (4, 2), one row per input pair in the order of
    /// `inputRows`, and the gate's `targets` of shape (4,).
    public var truthTable: (inputs: Tensor, targets: Tensor) {
        let inputs = Tensor(LogicGate.inputRows.map { $0.map { Float($0) } })
        let targets = Tensor(LogicGate.inputRows.map { Float(output($0[0], $0[1])) })
        return (inputs, targets)
    }

    /// The truth table as a classification set: features (4, 2), labels the outputs (classes 0, 1).
    public var dataset: Dataset {
        Dataset(features: truthTable.inputs, labels: LogicGate.inputRows.map { output($0[0], $0[1]) },
                classCount: 2)
    }
}
