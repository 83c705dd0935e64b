import Foundation
import CNeuralSupport
import NeuralKit
import Testing

/// The fused optimisers against the same updates written with tensor operations.
@Suite struct OptimizerTests {
    static func problem(seed: UInt64) -> (parameters: [Tensor], gradients: [[Tensor]]) {
        var g = SeededGenerator(seed: seed)
        // Sizes that are not multiples of a vector: the vector loop and its remainder both run.
        // (300, 300) is split across threads.
        let shapes = [[5, 3], [3], [37, 41], [41], [300, 300]]
        let parameters = shapes.map { Tensor.uniform($0, low: -1, high: 1, using: &g) }
        let gradients = (0..<6).map { _ in shapes.map { Tensor.uniform($0, low: -2, high: 2, using: &g) } }
        return (parameters, gradients)
    }

    @Test func adamGivesTheBitsOfTheSameUpdateWrittenWithTensorOperations() {
        for seed in UInt64(0)..<5 {
            let (start, steps) = Self.problem(seed: seed)
            var fused = start
            var adam = FusedAdam(learningRate: 0.01)
            var reference = start
            var m = start.map { Tensor.zeros(like: $0) }, v = m
            let (b1, b2, eta, eps): (Float, Float, Float, Float) = (0.9, 0.999, 0.01, 1e-8)
            var (p1, p2): (Float, Float) = (1, 1)
            for gradients in steps {
                adam.update(&fused, gradients: gradients)
                p1 *= b1; p2 *= b2
                for i in reference.indices {
                    m[i] = b1 * m[i] + (1 - b1) * gradients[i]
                    v[i] = b2 * v[i] + (1 - b2) * gradients[i] * gradients[i]
                    let (s, r) = (eta / (1 - p1), 1 / (1 - p2).squareRoot())
                    reference[i] = reference[i] - s * m[i] / (v[i].squareRoot() * r + eps)
                }
            }
            #expect(adam.step == steps.count)
            for i in fused.indices {
                #expect(fused[i].scalars == reference[i].scalars, "seed \(seed), parameter \(i)")
                #expect(fused[i].scalars != start[i].scalars)
            }
        }
    }

    @Test func adamAgreesWithTheTextbookOrderOfOperations() {
        let (start, steps) = Self.problem(seed: 11)
        var fused = start
        var adam = FusedAdam(learningRate: 0.01)
        var textbook = start.map { $0.scalars.map(Double.init) }
        var m = textbook.map { $0.map { _ in 0.0 } }, v = m
        for (t, gradients) in steps.enumerated() {
            adam.update(&fused, gradients: gradients)
            let (c1, c2) = (1 - Foundation.pow(0.9, Double(t + 1)), 1 - Foundation.pow(0.999, Double(t + 1)))
            for i in textbook.indices {
                for k in textbook[i].indices {
                    let g = Double(gradients[i].scalars[k])
                    m[i][k] = 0.9 * m[i][k] + 0.1 * g
                    v[i][k] = 0.999 * v[i][k] + 0.001 * g * g
                    textbook[i][k] -= 0.01 * (m[i][k] / c1) / ((v[i][k] / c2).squareRoot() + 1e-8)
                }
            }
        }
        for i in fused.indices {
            let worst = zip(fused[i].scalars, textbook[i]).map { abs(Double($0) - $1) }.max() ?? 0
            #expect(worst < 1e-6, "parameter \(i): differs from the textbook Adam by \(worst)")
        }
    }

    @Test func everyCPUPathGivesTheSameBits() {
        defer { _ = cns_optim_force_path(-1) }
        func run(path: Int32) -> [[Float]]? {
            guard cns_optim_force_path(path) == 1 else { return nil }
            let (start, steps) = Self.problem(seed: 3)
            var (adamParameters, sgdParameters) = (start, start)
            var adam = FusedAdam(learningRate: 0.01)
            var sgd = FusedSGD(learningRate: 0.1, momentum: 0.9)
            for gradients in steps {
                adam.update(&adamParameters, gradients: gradients)
                sgd.update(&sgdParameters, gradients: gradients)
            }
            return (adamParameters + sgdParameters).map(\.scalars)
        }
        let portable = run(path: 0)
        #expect(portable != nil)
        for path: Int32 in [1, 2] {
            guard let other = run(path: path) else { continue }   // this CPU lacks it
            #expect(other == portable, "path \(path) differs from the portable loop")
        }
    }

    @Test func sgdWithMomentumFollowsItsFormula() {
        let (start, steps) = Self.problem(seed: 9)
        var fused = start
        var sgd = FusedSGD(learningRate: 0.1, momentum: 0.9)
        var reference = start
        var u = start.map { Tensor.zeros(like: $0) }
        for gradients in steps {
            sgd.update(&fused, gradients: gradients)
            for i in reference.indices {
                u[i] = 0.9 * u[i] - 0.1 * gradients[i]
                reference[i] = reference[i] + u[i]
            }
        }
        for i in fused.indices { #expect(fused[i].scalars == reference[i].scalars, "parameter \(i)") }
    }

    @Test func plainGradientDescentIsMomentumZero() {
        var parameters: [Tensor] = [[1, 2], [3]]
        var sgd = FusedSGD(learningRate: 0.5)
        sgd.update(&parameters, gradients: [[2, -2], [1]])
        #expect(parameters[0].scalars == [0, 3])
        #expect(parameters[1].scalars == [2.5])
    }

    @Test func anUpdateLeavesCopiesOfTheParametersAlone() {
        var parameters: [Tensor] = [[1, 2, 3]]
        let copy = parameters
        var adam = FusedAdam()
        adam.update(&parameters, gradients: [[1, 1, 1]])
        #expect(copy[0].scalars == [1, 2, 3])
        #expect(parameters[0].scalars != [1, 2, 3])
    }
}
