import CourseGrading
import NeuralKit
import SigmoidNeuron
import Testing

/// The outputs for the four inputs (0, 0), (0, 1), (1, 0), (1, 1), checked against a gate's truth table.
private func expectTruthTable(_ output: Tensor, _ gate: LogicGate, _ name: String,
                              sourceLocation: SourceLocation = #_sourceLocation) {
    guard expectShape(output, [4, 1], name, sourceLocation: sourceLocation) else { return }
    let expected = gate.truthTable.targets.scalars.map(Int.init)
    let got = output.scalars.map { $0.isFinite ? Int($0.rounded()) : -1 }
    guard got != expected || output.scalars.contains(where: { $0 != 0 && $0 != 1 }) else { return }
    let rows = LogicGate.inputRows.indices.map { i in
        "(\(LogicGate.inputRows[i][0]), \(LogicGate.inputRows[i][1])) → \(output.scalars[i])" + (got[i] == expected[i] ? "" : "  (expected \(expected[i]))")
    }
    Issue.record(Comment(rawValue: "\(name) should compute \(gate.rawValue.uppercased()):\n  " + rows.joined(separator: "\n  ")),
                 sourceLocation: sourceLocation)
}

@Suite struct PerceptronGrader {
    @Test("the step activation is 1 for z > 0 and 0 for z ≤ 0", .points(1))
    func stepValues() {
        let s = stepActivation([[-1, 0, 2], [0.001, -0.001, 100]])
        guard expectShape(s, [2, 3], "stepActivation(z) for z of shape (2, 3)") else { return }
        expectClose(s, [[0, 0, 1], [1, 0, 1]], "stepActivation([[−1, 0, 2], [0.001, −0.001, 100]]) (0 gives 0)")
    }

    @Test("a perceptron with the lecture's w = (−2, −2), b = 3 computes NAND", .points(1))
    func lectureNand() {
        let inputs = LogicGate.nand.truthTable.inputs
        expectTruthTable(perceptron(Neuron(weights: [[-2], [-2]], bias: 3), inputs), .nand,
                         "perceptron(w = (−2, −2), b = 3) on the four inputs")
    }

    @Test("the AND, OR and NAND perceptrons give their truth tables", .points(2))
    func gates() {
        let inputs = LogicGate.and.truthTable.inputs
        expectTruthTable(perceptron(Neuron.andGate, inputs), .and, "perceptron(Neuron.andGate, …)")
        expectTruthTable(perceptron(Neuron.orGate, inputs), .or, "perceptron(Neuron.orGate, …)")
        expectTruthTable(perceptron(Neuron.nandGate, inputs), .nand, "perceptron(Neuron.nandGate, …)")
    }

    @Test("two layers of perceptrons compute XOR", .points(1))
    func xor() {
        expectTruthTable(xorNetwork(LogicGate.xor.truthTable.inputs), .xor, "xorNetwork on the four inputs")
    }
}
