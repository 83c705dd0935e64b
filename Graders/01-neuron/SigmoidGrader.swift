import CourseGrading
import NeuralKit
import SigmoidNeuron
import Testing

// NeuralKit has its own sigmoid; `SigmoidNeuron.sigmoid` is the student's.

@Suite struct SigmoidGrader {
    @Test("sigmoid is ½ at 0 and matches 1 / (1 + e^(−z))", .points(2))
    func knownValues() {
        let z: Tensor = [[0, 2, -2], [1, -1, 4]]
        let f = SigmoidNeuron.sigmoid(z)
        guard expectShape(f, [2, 3], "sigmoid(z) for z of shape (2, 3)") else { return }
        expectClose(f, [[0.5, 0.880797, 0.119203], [0.731059, 0.268941, 0.982014]], "sigmoid(z)")
    }

    @Test("sigmoid stays finite and accurate for large |z| (z = ±1000)", .points(2))
    func largeInputs() {
        let z: Tensor = [-1000, -100, -30, 30, 100, 1000]
        let f = SigmoidNeuron.sigmoid(z)
        guard expectShape(f, [6], "sigmoid([-1000, -100, -30, 30, 100, 1000])"),
              expectFinite(f, "sigmoid([-1000, -100, -30, 30, 100, 1000]) (e^1000 overflows to ∞; ∞/∞ is NaN)") else { return }
        expectClose(f, [0, 0, 0, 1, 1, 1], "sigmoid([-1000, -100, -30, 30, 100, 1000])", tolerance: 1e-6)
        // Far on the negative side σ(z) ≈ e^z is tiny but not 0: computing it as 1 − σ(−z) loses it.
        for (z, want) in [(Float(-30), Float(9.357623e-14)), (-80, 1.8048514e-35)] {
            let got = SigmoidNeuron.sigmoid(Tensor([z])).scalars.first ?? .nan
            if !(abs(got - want) <= 1e-3 * want) {
                Issue.record("sigmoid(\(Int(z))) should be \(want) (≈ e^z), got \(got): for very negative z compute e^z / (1 + e^z) (or 1 / (1 + e^(−z))) directly; 1 − σ(−z) rounds to 0")
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

    @Test("sigmoidPrime stays finite for large |z| (z = ±1000)", .points(1))
    func derivativeLargeInputs() {
        let z: Tensor = [-1000, -100, 100, 1000]
        let d = SigmoidNeuron.sigmoidPrime(z)
        guard expectShape(d, [4], "sigmoidPrime([-1000, -100, 100, 1000])"),
              expectFinite(d, "sigmoidPrime([-1000, -100, 100, 1000]) (e^(−z)/(1 + e^(−z))² is ∞/∞ at z = −1000; use σ(z)(1 − σ(z)))")
        else { return }
        expectClose(d, [0, 0, 0, 0], "sigmoidPrime([-1000, -100, 100, 1000])", tolerance: 1e-6)
    }
}
