import Backpropagation
import CourseGrading
import NeuralKit
import Testing

@Suite struct NetworkGrader {
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
        let problem = CheckProblem.make(seed: 21)
        let pass = problem.network.forward(problem.input)     // D = 3, H = 4, K = 2, N = 5
        let (H, K, N) = (CheckProblem.H, CheckProblem.K, CheckProblem.N)
        expectShape(pass.z1, [H, N], "z1 (H = \(H) hidden units, N = \(N) examples)")
        expectShape(pass.a1, [H, N], "a1")
        expectShape(pass.z2, [K, N], "z2 (K = \(K) outputs, N = \(N) examples)")
        expectShape(pass.a2, [K, N], "a2")
    }

    @Test("forward pass computes z1 = W1·a0 + b1, a1 = σ(z1), z2 = W2·a1 + b2, a2 = σ(z2) for a batch", .points(2))
    func sigmoidOutputValues() {
        let problem = CheckProblem.make(seed: 22)
        let pass = problem.network.forward(problem.input)
        let expected = Reference.forward(problem.network, problem.input)
        expectClose(pass.z1, expected.z1, "z1 = W1·a0 + b1")
        expectClose(pass.a1, expected.a1, "a1 = σ(z1)")
        expectClose(pass.z2, expected.z2, "z2 = W2·a1 + b2")
        expectClose(pass.a2, expected.a2, "a2 = σ(z2)")
    }

    @Test("a linear output layer gives a2 = z2", .points(1))
    func linearOutputValues() {
        let problem = CheckProblem.make(seed: 23, output: .linear)
        let pass = problem.network.forward(problem.input)
        let expected = Reference.forward(problem.network, problem.input)
        expectClose(pass.z2, expected.z2, "z2 = W2·a1 + b2")
        expectClose(pass.a2, expected.a2, "a2 = z2 (linear output)")
    }
}
