import Backpropagation
import CourseGrading
import NeuralKit
import Testing

@Suite struct NetworkGrader {
    /// Checks z1, a1, z2, a2 against the Double reference for a fresh problem.
    func expectForward(_ problem: CheckProblem, _ output: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let pass = problem.network.forward(problem.input)
        let expected = problem.reference.forward(problem.a0)
        let context = " (\(problem.sizes), random weights)"
        expectClose(pass.z1, expected.z1.tensor, "z1 = W1·a0 + b1" + context, sourceLocation: sourceLocation)
        expectClose(pass.a1, expected.a1.tensor, "a1 = σ(z1)" + context, sourceLocation: sourceLocation)
        expectClose(pass.z2, expected.z2.tensor, "z2 = W2·a1 + b2" + context, sourceLocation: sourceLocation)
        expectClose(pass.a2, expected.a2.tensor, output + context, sourceLocation: sourceLocation)
    }

    @Test("forward pass gives the lesson's one-example result", .points(1))
    func lessonExample() {
        var network = TwoLayerNetwork(W1: [[1, -1]], b1: [[0]], W2: [[2]], b2: [[-1]])
        let pass = network.forward([[3], [3]])
        expectClose(pass.z1, [[0]], "z1")
        expectClose(pass.a1, [[0.5]], "a1")
        expectClose(pass.z2, [[0]], "z2")
        expectClose(pass.a2, [[0.5]], "a2 (sigmoid output)")
        network.outputActivation = .linear
        expectClose(network.forward([[3], [3]]).a2, [[0]], "a2 (linear output)")
    }

    @Test("forward pass returns z1, a1 of shape (H, N) and z2, a2 of shape (K, N)", .points(1))
    func shapes() {
        let problem = CheckProblem.make("Network.shapes")     // D, H, K, N all different
        let pass = problem.network.forward(problem.input)
        let (H, K, N) = (problem.H, problem.K, problem.N)
        expectShape(pass.z1, [H, N], "z1 (H = \(H) hidden units, N = \(N) examples)")
        expectShape(pass.a1, [H, N], "a1")
        expectShape(pass.z2, [K, N], "z2 (K = \(K) outputs, N = \(N) examples)")
        expectShape(pass.a2, [K, N], "a2")
    }

    @Test("forward pass computes z1 = W1·a0 + b1, a1 = σ(z1), z2 = W2·a1 + b2, a2 = σ(z2) for a batch", .points(2))
    func sigmoidOutputValues() {
        for round in 0..<3 { expectForward(CheckProblem.make("Network.sigmoid.\(round)", weightScale: 1 + Float(round)), "a2 = σ(z2)") }
    }

    @Test("a linear output layer gives a2 = z2", .points(1))
    func linearOutputValues() {
        for round in 0..<2 { expectForward(CheckProblem.make("Network.linear.\(round)", output: .linear), "a2 = z2 (linear output)") }
    }
}
