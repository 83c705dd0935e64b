import CourseGrading
import NeuralKit
import SigmoidNeuron
import Testing

// NeuralKit has its own sigmoid; `SigmoidNeuron.sigmoid` is the student's.

@Suite struct SigmoidGrader {
    /// Fresh pre-activations for one run: a (R, C) matrix with R in 1…4 and C in 1…6, most entries
    /// in [−12, 12), a few far out on either side (|z| up to 85, where σ(z) ≈ e^z is tiny but a Float).
    static func freshInputs(_ purpose: String) -> Tensor {
        var generator = GradingSeed.generator(purpose)
        let shape = [generator.integer(in: 1...4), generator.integer(in: 1...6)]
        let count = shape[0] * shape[1]
        let values = (0..<count).map { i -> Float in
            switch generator.nextInt(below: 6) {
            case 0: return generator.float(-85, -20)
            case 1 where i > 0: return generator.float(20, 85)
            default: return generator.float(-12, 12)
            }
        }
        return Tensor(shape: shape, scalars: values)
    }

    @Test("sigmoid is ½ at 0 and matches 1 / (1 + e^(−z))", .points(2))
    func knownValues() {
        let z: Tensor = [[0, 2, -2], [1, -1, 4]]
        let f = SigmoidNeuron.sigmoid(z)
        guard expectShape(f, [2, 3], "sigmoid(z) for z of shape (2, 3)") else { return }
        expectClose(f, [[0.5, 0.880797, 0.119203], [0.731059, 0.268941, 0.982014]], "sigmoid(z)")
    }

    @Test("sigmoid matches 1 / (1 + e^(−z)) on fresh inputs of any shape", .points(2))
    func freshValues() {
        let z = Self.freshInputs("Sigmoid.fresh")
        let f = SigmoidNeuron.sigmoid(z)
        let name = "sigmoid(z) for z of shape \(z.shapeDescription) (fresh inputs)"
        guard expectShape(f, z.shape, name), expectFinite(f, name) else { return }
        // Relative to σ(z) itself, so that tiny values far on the negative side count too.
        for i in 0..<z.count {
            let want = Reference.sigmoid(Double(z.scalars[i]))
            let got = Double(f.scalars[i])
            if abs(got - want) > 1e-5 * want {
                recordFailure("\(name): at z = \(z.scalars[i]) expected \(want), got \(got)"
                              + (z.scalars[i] < -15 && got == 0 ? " (σ(z) ≈ e^z is tiny but not 0 here: compute e^z / (1 + e^z) directly, not 1 − σ(−z))" : ""))
                return
            }
        }
    }

    @Test("sigmoid stays finite and accurate for large |z| (z = ±1000)", .points(2))
    func largeInputs() {
        var generator = GradingSeed.generator("Sigmoid.large")
        let far = generator.float(100, 1000)
        let z = Tensor([-1000, -far, -100, -30, 30, 100, far, 1000])
        let f = SigmoidNeuron.sigmoid(z)
        let name = "sigmoid(\(z.scalars))"
        guard expectShape(f, [8], name),
              expectFinite(f, name + " (e^1000 overflows to ∞; ∞/∞ is NaN)") else { return }
        expectClose(f, [0, 0, 0, 0, 1, 1, 1, 1], name, tolerance: 1e-6)
        // Far on the negative side σ(z) ≈ e^z is tiny but not 0: computing it as 1 − σ(−z) loses it.
        for (z, want) in [(Float(-30), Float(9.357623e-14)), (-80, 1.8048514e-35)] {
            let got = SigmoidNeuron.sigmoid(Tensor([z])).scalars.first ?? .nan
            if !(abs(got - want) <= 1e-3 * want) {
                recordFailure("sigmoid(\(Int(z))) should be \(want) (≈ e^z), got \(got): for very negative z compute e^z / (1 + e^z) (or 1 / (1 + e^(−z))) directly; 1 − σ(−z) rounds to 0")
            }
        }
    }

    @Test("sigmoidPrime is σ(z)(1 − σ(z)): ¼ at 0", .points(2))
    func derivativeValues() {
        let z: Tensor = [[0, 2], [-2, 5], [-5, 1]]
        let d = SigmoidNeuron.sigmoidPrime(z)
        guard expectShape(d, [3, 2], "sigmoidPrime(z) for z of shape (3, 2)") else { return }
        expectClose(d, [[0.25, 0.104994], [0.104994, 0.006648], [0.006648, 0.196612]], "sigmoidPrime(z)")
    }

    @Test("sigmoidPrime matches σ(z)(1 − σ(z)) on fresh inputs of any shape", .points(1))
    func derivativeFreshValues() {
        let z = Self.freshInputs("SigmoidPrime.fresh")
        let d = SigmoidNeuron.sigmoidPrime(z)
        let name = "sigmoidPrime(z) for z of shape \(z.shapeDescription) (fresh inputs)"
        guard expectShape(d, z.shape, name), expectFinite(d, name) else { return }
        let expected = Tensor(shape: z.shape, scalars: z.scalars.map { Float(Reference.sigmoidPrime(Double($0))) })
        guard !expectClose(d, expected, name, tolerance: 1e-5) else { return }
        if !SigmoidGrader.sigmoidWorks(z) {
            requireWorking("sigmoid", for: "sigmoidPrime", detail: "sigmoid(z) is wrong on these inputs") { false }
        }
    }

    @Test("sigmoidPrime stays finite for large |z| (z = ±1000)", .points(1))
    func derivativeLargeInputs() {
        var generator = GradingSeed.generator("SigmoidPrime.large")
        let far = generator.float(100, 1000)
        let z = Tensor([-1000, -far, -100, 100, far, 1000])
        let d = SigmoidNeuron.sigmoidPrime(z)
        let name = "sigmoidPrime(\(z.scalars))"
        guard expectShape(d, [6], name),
              expectFinite(d, name + " (e^(−z)/(1 + e^(−z))² is ∞/∞ at z = −1000; use σ(z)(1 − σ(z)))")
        else { return }
        expectClose(d, [0, 0, 0, 0, 0, 0], name, tolerance: 1e-6)
    }

    /// Whether the student's sigmoid is right on z (within 1e-5, relative for tiny values).
    static func sigmoidWorks(_ z: Tensor) -> Bool {
        let f = SigmoidNeuron.sigmoid(z)
        guard f.shape == z.shape else { return false }
        return zip(z.scalars, f.scalars).allSatisfy { z, f in
            let want = Reference.sigmoid(Double(z))
            return abs(Double(f) - want) <= 1e-5 * max(want, 1e-3)
        }
    }
}
