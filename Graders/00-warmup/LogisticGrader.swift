import CourseGrading
import Foundation
import NeuralKit
import Testing
import WarmUp

/// `logistic(z) = σ(z) = 1 / (1 + e^(−z))` element by element, same shape as z, judged against
/// the grader's own σ in `Double`.
@Suite struct LogisticGrader {
    @Test("logistic is ½ at 0 and matches 1 / (1 + e^(−z)) on fresh tensors of any shape", .points(2))
    func knownValues() {
        let cases = Cases()
        defer { cases.finish() }
        checkLogistic([[0, 2, -2], [1, -1, 4]], "logistic([[0, 2, -2], [1, -1, 4]])", in: cases)
        var generator = GradingSeed.generator("Logistic.knownValues")
        for shape in freshShapes(&generator) {
            let z = Tensor.uniform(shape, low: -8, high: 8, using: &generator)
            checkLogistic(z, "logistic of a fresh \(z.shapeDescription) tensor of values in [−8, 8]", in: cases)
        }
    }

    @Test("logistic stays finite and in [0, 1] for large |z|", .points(1))
    func largeInputs() {
        let cases = Cases()
        defer { cases.finish() }
        checkLogistic([-100, -30, 30, 100], "logistic([-100, -30, 30, 100])", tolerance: 1e-6, in: cases)
        var generator = GradingSeed.generator("Logistic.largeInputs")
        for shape in freshShapes(&generator) {
            let count = shape.reduce(1, *)
            let z = Tensor(shape: shape, scalars: (0..<count).map { _ in generator.signed(20, 500) })
            checkLogistic(z, "logistic of a fresh \(z.shapeDescription) tensor of values with |z| in [20, 500]", tolerance: 1e-6, in: cases)
        }
    }

    /// A vector, a matrix and a rank-3 tensor of fresh sizes.
    private func freshShapes(_ generator: inout SeededGenerator) -> [[Int]] {
        [[generator.integer(in: 2...9)],
         [generator.integer(in: 2...4), generator.integer(in: 2...5)],
         [2, generator.integer(in: 1...3), generator.integer(in: 2...3)]]
    }

    /// Checks the shape, finiteness, the range [0, 1] and every value against σ in Double.
    private func checkLogistic(_ z: Tensor, _ name: String, tolerance: Double = 1e-4, in cases: Cases,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        let input = z.scalars.map(Double.init)
        let expected = input.map { 1 / (1 + Foundation.exp(-$0)) }
        let a = logistic(z)
        guard expectShape(a, z.shape, name + " keeps the shape of z", sourceLocation: sourceLocation),
              expectFinite(a, name, sourceLocation: sourceLocation) else { return }
        if let outside = a.scalars.firstIndex(where: { $0 < 0 || $0 > 1 }) {
            recordFailure("\(name): σ(\(show(input[outside]))) gave \(show(Double(a.scalars[outside]))), outside [0, 1]; expected \(show(expected[outside]))",
                          sourceLocation: sourceLocation)
            return
        }
        let mistakes = [
            KnownMistake("sign", "That is 1 / (1 + e^z) = σ(−z): the sign of the exponent is flipped.", input.map { 1 / (1 + Foundation.exp($0)) }),
            KnownMistake("tanh", "That is ½(1 + tanh z): with tanh, σ(z) = ½(1 + tanh(z/2)).", input.map { 0.5 * (1 + Foundation.tanh($0)) }),
        ]
        cases.compare(a.scalars.map(Double.init), shape: z.shape, expected, name, tolerance: tolerance,
                      mistakes: mistakes, sourceLocation: sourceLocation)
    }
}
