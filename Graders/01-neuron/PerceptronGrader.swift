import CourseGrading
import NeuralKit
import SigmoidNeuron
import Testing

/// The outputs for the four inputs (0, 0), (0, 1), (1, 0), (1, 1), checked against a gate's truth table.
/// - Returns: whether they match.
@discardableResult
private func expectTruthTable(_ output: Tensor, _ gate: LogicGate, _ name: String,
                              sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
    guard expectShape(output, [4, 1], name, sourceLocation: sourceLocation) else { return false }
    let expected = gate.truthTable.targets.scalars.map(Int.init)
    let got = output.scalars.map { $0.isFinite ? Int($0.rounded()) : -1 }
    guard got != expected || output.scalars.contains(where: { $0 != 0 && $0 != 1 }) else { return true }
    let rows = LogicGate.inputRows.indices.map { i in
        "(\(LogicGate.inputRows[i][0]), \(LogicGate.inputRows[i][1])) → \(output.scalars[i])" + (got[i] == expected[i] ? "" : "  (expected \(expected[i]))")
    }
    recordFailure("\(name) should compute \(gate.rawValue.uppercased()):\n  " + rows.joined(separator: "\n  "),
                  sourceLocation: sourceLocation)
    return false
}

@Suite struct PerceptronGrader {
    @Test("the step activation is 1 for z > 0 and 0 for z ≤ 0", .points(1))
    func stepValues() {
        let s = stepActivation([[-1, 0, 2], [0.001, -0.001, 100]])
        guard expectShape(s, [2, 3], "stepActivation(z) for z of shape (2, 3)") else { return }
        expectClose(s, [[0, 0, 1], [1, 0, 1]], "stepActivation([[−1, 0, 2], [0.001, −0.001, 100]]) (0 gives 0)")
    }

    /// Fresh pre-activations probing the step: 0 exactly, tiny values of either sign, values in
    /// (0, 1) and (−1, 0), and ordinary and large ones, in a (R, C) matrix of random shape.
    static func stepProbe() -> Tensor {
        var generator = GradingSeed.generator("Perceptron.step")
        let special: [Float] = [0, -0.0, 1e-7, -1e-7, 1e-30, -1e-30, 0.5, -0.5]
        var values = special
        for _ in 0..<generator.integer(in: 8...16) {
            switch generator.nextInt(below: 3) {
            case 0: values.append(generator.signed(1e-4, 1))
            case 1: values.append(generator.float(-3, 3))
            default: values.append(generator.signed(1, 1e5))
            }
        }
        generator.shuffle(&values)
        let columns = [1, 2, values.count][generator.nextInt(below: 3)]
        while values.count % columns != 0 { values.append(0) }
        return Tensor(shape: [values.count / columns, columns], scalars: values)
    }

    @Test("the step activation at many fresh values: 1 exactly where z > 0", .points(1))
    func stepFresh() {
        let z = Self.stepProbe()
        let s = stepActivation(z)
        guard expectShape(s, z.shape, "stepActivation(z) for z of shape \(z.shapeDescription)") else { return }
        let wrong = (0..<z.count).filter { s.scalars[$0] != Reference.step(Double(z.scalars[$0])) }
        guard !wrong.isEmpty else { return }
        recordFailure("stepActivation is wrong at \(wrong.count) of \(z.count) fresh values: "
                      + wrong.prefix(5).map { "z = \(z.scalars[$0]) → expected \(Reference.step(Double(z.scalars[$0]))), got \(s.scalars[$0])" }.joined(separator: "; ")
                      + ". The step is 1 exactly where z > 0 and 0 where z ≤ 0 (z = 0 gives 0).")
    }

    /// Whether the student's step activation is right at 0, at tiny values and at ordinary ones.
    static func stepWorks() -> Bool {
        let z: Tensor = [[0, 1e-7, -1e-7, 0.3, -0.3, 2, -2, 0.5]]
        let s = stepActivation(z)
        return s.shape == z.shape && zip(z.scalars, s.scalars).allSatisfy { Reference.step(Double($0)) == $1 }
    }

    /// Whether the student's perceptron matches step(x·w + b) on x.
    static func perceptronWorks(_ neuron: Neuron, _ x: Tensor) -> Bool {
        let out = perceptron(neuron, x)
        return out.shape == [x.shape[0], 1] && out.scalars == Reference.perceptron(neuron, x)
    }

    /// Names the function to fix first when a check built on perceptrons fails: stepActivation,
    /// else perceptron (checked on `x` with `neuron`). Returns whether one was named.
    static func blamePrerequisite(for what: String, _ neuron: Neuron, _ x: Tensor) -> Bool {
        if !Self.stepWorks() {
            requireWorking("stepActivation", for: what, detail: "it is wrong at some of z = 0, ±10⁻⁷, ±0.3, ±2, 0.5") { false }
            return true
        }
        if !perceptronWorks(neuron, x) {
            requireWorking("perceptron", for: what, detail: "perceptron(neuron, x) is not step(x·w + b) for w = \(neuron.weights.scalars), b = \(neuron.bias)") { false }
            return true
        }
        return false
    }

    @Test("a perceptron with the lecture's w = (−2, −2), b = 3 computes NAND", .points(1))
    func lectureNand() {
        let inputs = LogicGate.nand.truthTable.inputs
        let nand = Neuron(weights: [[-2], [-2]], bias: 3)
        guard !expectTruthTable(perceptron(nand, inputs), .nand, "perceptron(w = (−2, −2), b = 3) on the four inputs") else { return }
        if !Self.stepWorks() {
            requireWorking("stepActivation", for: "the perceptron", detail: "it is wrong at some of z = 0, ±10⁻⁷, ±0.3, ±2, 0.5") { false }
        }
    }

    @Test("a perceptron computes step(x·w + b) for fresh weights, with z = 0 giving 0", .points(1))
    func perceptronFresh() {
        var generator = GradingSeed.generator("Perceptron.fresh")
        let d = generator.integer(in: 1...4)
        // Weights, bias and inputs are multiples of 1/4, so z = w·x + b is exact in any order of
        // summation; several rows land on z = 0 exactly.
        let quarter = { (g: inout SeededGenerator, r: ClosedRange<Int>) in Float(g.integer(in: r)) / 4 }
        let neuron = Neuron(weights: Tensor(shape: [d, 1], scalars: (0..<d).map { _ in quarter(&generator, -8...8) }),
                            bias: quarter(&generator, -8...8))
        var rows: [[Float]] = []
        for _ in 0..<generator.integer(in: 8...16) {
            rows.append((0..<d).map { _ in quarter(&generator, -8...8) })
        }
        // Rows with z = 0 exactly: x = 0 when b = 0, otherwise x_1 = −b / w_1 when that is exact.
        let lead = neuron.weights.scalars[0]
        if lead == 1 || lead == -1 || lead == 0.5 || lead == -0.5 || lead == 2 || lead == -2 {
            rows.append([-neuron.bias / lead] + Array(repeating: 0, count: d - 1))
        }
        rows.append(Array(repeating: 0, count: d))
        var zeroNeuron = neuron
        zeroNeuron.bias = 0
        let x = Tensor(rows)
        for (candidate, label) in [(neuron, "w = \(neuron.weights.scalars), b = \(neuron.bias)"), (zeroNeuron, "w = \(neuron.weights.scalars), b = 0")] {
            let out = perceptron(candidate, x)
            let name = "perceptron(\(label)) on \(x.shape[0]) fresh inputs"
            guard expectShape(out, [x.shape[0], 1], name) else { return }
            let expected = Reference.perceptron(candidate, x)
            let z = Reference.preActivations(candidate, x)
            let wrong = expected.indices.filter { out.scalars[$0] != expected[$0] }
            guard !wrong.isEmpty else { continue }
            if !Self.stepWorks() {
                requireWorking("stepActivation", for: "the perceptron", detail: "it is wrong at some of z = 0, ±10⁻⁷, ±0.3, ±2, 0.5") { false }
                return
            }
            recordFailure("\(name): " + wrong.prefix(4).map { "x = \(x.rows[$0]) (z = \(z[$0])) → expected \(expected[$0]), got \(out.scalars[$0])" }.joined(separator: "; ")
                          + ". A perceptron outputs step(w·x + b): 1 where w·x + b > 0, 0 where it is ≤ 0.")
            return
        }
    }

    @Test("the AND, OR and NAND perceptrons give their truth tables", .points(2))
    func gates() {
        let inputs = LogicGate.and.truthTable.inputs
        for (gate, neuron, name) in [(LogicGate.and, Neuron.andGate, "andGate"), (.or, Neuron.orGate, "orGate"), (.nand, Neuron.nandGate, "nandGate")] {
            let out = perceptron(neuron, inputs)
            guard out != Tensor(shape: [4, 1], scalars: gate.truthTable.targets.scalars) else { continue }
            if Self.blamePrerequisite(for: "the \(name) check", neuron, inputs) { return }
            expectTruthTable(out, gate, "perceptron(Neuron.\(name), …) with w = \(neuron.weights.scalars), b = \(neuron.bias)")
        }
    }

    /// Whether the student's three gates reproduce their truth tables (with the lesson's step).
    static func gatesWork() -> Bool {
        let inputs = LogicGate.and.truthTable.inputs
        return [(LogicGate.and, Neuron.andGate), (.or, Neuron.orGate), (.nand, Neuron.nandGate)].allSatisfy { gate, neuron in
            neuron.weights.shape == [2, 1] && Reference.perceptron(neuron, inputs) == gate.truthTable.targets.scalars
        }
    }

    @Test("two layers of perceptrons compute XOR", .points(1))
    func xor() {
        let inputs = LogicGate.xor.truthTable.inputs
        let out = xorNetwork(inputs)
        guard out != Tensor(shape: [4, 1], scalars: LogicGate.xor.truthTable.targets.scalars) else { return }
        if Self.blamePrerequisite(for: "xorNetwork", Neuron.orGate, inputs) { return }
        if !Self.gatesWork() {
            requireWorking("Neuron.andGate, .orGate and .nandGate", for: "xorNetwork", detail: "the gates do not all give their truth tables") { false }
            return
        }
        expectTruthTable(out, .xor, "xorNetwork on the four inputs")
    }

    @Test("xorNetwork computes XOR for fresh batches of bit pairs in any order", .points(1))
    func xorFreshRows() {
        var generator = GradingSeed.generator("Perceptron.xorRows")
        let n = generator.integer(in: 1...12)
        let rows = (0..<n).map { _ in [Float(generator.nextInt(below: 2)), Float(generator.nextInt(below: 2))] }
        let x = Tensor(rows)
        let out = xorNetwork(x)
        let name = "xorNetwork on \(n) fresh rows \(rows.map { "(\(Int($0[0])), \(Int($0[1])))" }.joined(separator: " "))"
        guard expectShape(out, [n, 1], name) else { return }
        let expected = rows.map { Float(Int($0[0]) ^ Int($0[1])) }
        let wrong = (0..<n).filter { out.scalars[$0] != expected[$0] }
        guard !wrong.isEmpty else { return }
        if Self.blamePrerequisite(for: "xorNetwork", Neuron.orGate, x) { return }
        if !Self.gatesWork() {
            requireWorking("Neuron.andGate, .orGate and .nandGate", for: "xorNetwork", detail: "the gates do not all give their truth tables") { false }
            return
        }
        recordFailure("\(name): " + wrong.prefix(4).map { "row \($0) (\(Int(rows[$0][0])), \(Int(rows[$0][1]))) → expected \(expected[$0]), got \(out.scalars[$0])" }.joined(separator: "; ")
                      + ". XOR is computed row by row from the inputs, for any number of rows in any order.")
    }

    @Test("xorNetwork is AND(OR(x), NAND(x)) of your gates, also between 0 and 1", .points(1))
    func xorFromGates() {
        // The lesson's network is defined for any inputs: on points inside the unit square it
        // gives what its three perceptrons give there, which a table of the four corners does not.
        guard Self.gatesWork() else {
            requireWorking("Neuron.andGate, .orGate and .nandGate", for: "xorNetwork", detail: "the gates do not all give their truth tables") { false }
            return
        }
        var generator = GradingSeed.generator("Perceptron.xorGates")
        let gates = [Neuron.orGate, Neuron.nandGate]
        var rows: [[Float]] = []
        while rows.count < 24 {
            let row = [generator.float(0, 1), generator.float(0, 1)]
            let point = Tensor([row])
            let hidden = gates.map { Reference.perceptron($0, point)[0] }
            let zs = gates.map { Reference.preActivations($0, point)[0] } + Reference.preActivations(.andGate, Tensor([hidden]))
            if zs.allSatisfy({ abs($0) >= 1e-3 }) { rows.append(row) }
        }
        let x = Tensor(rows)
        let hidden = Tensor(shape: [rows.count, 2], scalars: (0..<rows.count).flatMap { i in gates.map { Reference.perceptron($0, x)[i] } })
        let expected = Reference.perceptron(.andGate, hidden)
        let out = xorNetwork(x)
        let name = "xorNetwork on 24 fresh points inside the unit square"
        guard expectShape(out, [rows.count, 1], name) else { return }
        let wrong = (0..<rows.count).filter { out.scalars[$0] != expected[$0] }
        guard !wrong.isEmpty else { return }
        if Self.blamePrerequisite(for: "xorNetwork", Neuron.orGate, x) { return }
        recordFailure("\(name): " + wrong.prefix(3).map { i in
            "x = (\(rows[i][0]), \(rows[i][1])): OR → \(hidden[i, 0]), NAND → \(hidden[i, 1]), AND of those → \(expected[i]); yours gave \(out.scalars[i])"
        }.joined(separator: "; ") + ". Build XOR from your perceptrons as the lesson does, perceptron(.andGate, [perceptron(.orGate, x), perceptron(.nandGate, x)]), not from a table of the four corners.")
    }
}
