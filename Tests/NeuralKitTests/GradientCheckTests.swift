import Foundation
import NeuralKit
import Testing

/// The gradient checker on the reference networks of `TinyNetworks.swift`: correct gradients pass
/// for every seed, planted mistakes fail for every seed with the mistake named.
///
/// Each test prints one line of figures (worst relative error on correct gradients, smallest
/// worst-entry error on buggy ones) for the record.
@Suite struct GradientCheckTests {
    typealias Config = (activation: TinyNetwork.Activation, cost: TinyNetwork.Cost)
    static let smooth: [Config] = [(.sigmoid, .quadratic), (.sigmoid, .crossEntropy), (.tanh, .crossEntropy)]
    static let rectified: [Config] = [(.relu, .crossEntropy), (.relu, .quadratic)]

    // MARK: Correct gradients pass

    /// Checks the correct gradients of `configs` over `seeds`; returns the worst relative error seen.
    func expectCorrectGradientsPass(_ configs: [Config], seeds: Range<UInt64>) -> Float {
        var worst: Float = 0
        for config in configs {
            for seed in seeds {
                let (net, X, Y) = TinyNetwork.random(seed: seed, activation: config.activation, cost: config.cost)
                for report in net.check(X, Y, gradients: net.gradients(X, Y)) {
                    #expect(report.passed, "seed \(seed) \(config):\n\(report)")
                    #expect(report.checkedCount == report.entryCount)
                    worst = max(worst, report.worst?.relativeError ?? .infinity)
                }
            }
        }
        return worst
    }

    @Test func correctGradientsOfSmoothNetworksPassForEverySeed() {
        let worst = expectCorrectGradientsPass(Self.smooth, seeds: 0..<100)
        print("gradient check, sigmoid/tanh networks, 100 seeds × 3: worst rel.err \(worst)")
    }

    @Test func correctGradientsOfReLUNetworksPassForEverySeed() {
        let worst = expectCorrectGradientsPass(Self.rectified, seeds: 0..<100)
        print("gradient check, ReLU networks, 100 seeds × 2: worst rel.err \(worst)")
    }

    // MARK: Planted mistakes fail and are named

    /// Plants `bug` in `configs` over `seeds`; every report of `parameters` must fail with a
    /// diagnosis accepted by `expected`. Returns the smallest worst-entry error seen.
    func expectBugIsDiagnosed(_ bug: TinyNetwork.Bug, _ configs: [Config], seeds: Range<UInt64> = 0..<30,
                              parameters: Set<String> = ["W1", "b1", "W2", "b2"],
                              D: Int = 4, H: Int = 5,
                              expected: (GradientDiagnosis?) -> Bool) -> Float {
        var smallest = Float.infinity
        for config in configs {
            for seed in seeds {
                let (net, X, Y) = TinyNetwork.random(seed: seed, D: D, H: H, activation: config.activation, cost: config.cost)
                for report in net.check(X, Y, gradients: net.gradients(X, Y, bug: bug))
                where parameters.contains(report.parameterName) {
                    #expect(!report.passed, "\(bug) seed \(seed) \(config):\n\(report)")
                    #expect(expected(report.diagnosis), "\(bug) seed \(seed) \(config):\n\(report)")
                    smallest = min(smallest, report.worst?.relativeError ?? .infinity)
                }
            }
        }
        return smallest
    }

    @Test func signFlipIsDiagnosed() {
        let smallest = expectBugIsDiagnosed(.signFlip, Self.smooth + Self.rectified) { $0 == .signFlipped }
        print("gradient check, sign flip: smallest worst rel.err \(smallest)")
    }

    @Test func missingBatchAverageIsDiagnosedAsFactorN() {
        let smallest = expectBugIsDiagnosed(.missingBatchAverage, [(.sigmoid, .quadratic), (.relu, .crossEntropy)]) {
            guard case .constantFactor(let c) = $0 else { return false }
            return abs(c - 6) < 0.1
        }
        print("gradient check, missing 1/N: smallest worst rel.err \(smallest)")
        let (net, X, Y) = TinyNetwork.random(seed: 1, activation: .sigmoid, cost: .quadratic)
        let buggy = net.gradients(X, Y, bug: .missingBatchAverage)
        // Told the real N, the checker names the 1/N; not told, it only offers it as a question.
        let told = net.check(X, Y, gradients: buggy, with: GradientChecker(examples: 6))[0]
        #expect(told.advice?.contains("N = 6, the number of examples") == true, "\(told)")
        let untold = net.check(X, Y, gradients: buggy)[0]
        #expect(untold.advice?.contains("If the batch has N = 6 examples") == true, "\(untold)")
        // With another N the factor is only stated.
        let other = net.check(X, Y, gradients: buggy, with: GradientChecker(examples: 10))[0]
        #expect(other.advice?.contains("N = ") == false, "\(other)")
        #expect(other.advice?.contains("whole number 6") == true, "\(other)")
    }

    /// A factor 2 is a dropped ½, and never "a batch of N = 2" when the problem's N is another.
    @Test func factorTwoNamesTheBatchOnlyWhenNIsTwo() {
        let (net, X, Y) = TinyNetwork.random(seed: 2, activation: .sigmoid, cost: .quadratic)
        let buggy = net.gradients(X, Y, bug: .doubledError)
        for examples in [nil, 6, 10] as [Int?] {
            let report = net.check(X, Y, gradients: buggy, with: GradientChecker(examples: examples))[2]
            #expect(report.advice?.contains("½") == true, "\(report)")
            #expect(report.advice?.contains("N = 2") == false, "\(report)")
        }
    }

    /// σ′ evaluated without the bias is a little wrong at every entry: the check fails, and the
    /// report says what differs without naming a mistake it cannot see ("a few wrong entries",
    /// "a constant factor").
    @Test func derivativeWithoutBiasIsNotMisnamed() {
        var failed = 0, total = 0
        for config in Self.smooth {
            for seed in UInt64(0)..<40 {
                let (net, X, Y) = TinyNetwork.random(seed: seed, activation: config.activation, cost: config.cost)
                for report in net.check(X, Y, gradients: net.gradients(X, Y, bug: .hiddenDerivativeWithoutBias)).prefix(2) {
                    total += 1
                    guard !report.passed else { continue }
                    failed += 1
                    switch report.diagnosis {
                    case .unexplained?, .activationDerivativeMissing?: break
                    default: Issue.record("σ′ without the bias misnamed, seed \(seed) \(config):\n\(report)")
                    }
                }
            }
        }
        #expect(failed >= total * 3 / 4, "only \(failed) of \(total) checks caught σ′ evaluated without the bias")
        print("gradient check, σ′ without the bias: \(failed) of \(total) W1/b1 checks fail, none misnamed")
    }

    @Test func batchAverageTakenTwiceIsDiagnosedAsFactorOneOverN() {
        let smallest = expectBugIsDiagnosed(.batchAverageTwice, [(.tanh, .crossEntropy)]) {
            guard case .constantFactor(let c) = $0 else { return false }
            return abs(1 / c - 6) < 0.1
        }
        print("gradient check, 1/N twice: smallest worst rel.err \(smallest)")
    }

    @Test func doubledErrorIsDiagnosedAsFactorTwo() {
        let smallest = expectBugIsDiagnosed(.doubledError, [(.sigmoid, .quadratic)]) {
            guard case .constantFactor(let c) = $0 else { return false }
            return abs(c - 2) < 0.05
        }
        print("gradient check, doubled error: smallest worst rel.err \(smallest)")
        let (net, X, Y) = TinyNetwork.random(seed: 2, activation: .sigmoid, cost: .quadratic)
        let advice = net.check(X, Y, gradients: net.gradients(X, Y, bug: .doubledError))[2].advice
        #expect(advice?.contains("½") == true)
    }

    @Test func missingHiddenActivationDerivativeIsDiagnosed() {
        let smallest = expectBugIsDiagnosed(.missingHiddenDerivative, [(.sigmoid, .quadratic), (.sigmoid, .crossEntropy)],
                                            seeds: 0..<50, parameters: ["W1", "b1"]) {
            guard case .activationDerivativeMissing(let median, _, _) = $0 else { return false }
            return median >= 2
        }
        print("gradient check, σ′(Z1) left out: smallest worst rel.err \(smallest)")
        // The layer above is not affected.
        let (net, X, Y) = TinyNetwork.random(seed: 3, activation: .sigmoid, cost: .quadratic)
        let reports = net.check(X, Y, gradients: net.gradients(X, Y, bug: .missingHiddenDerivative))
        #expect(reports.map(\.passed) == [false, false, true, true])
    }

    /// tanh′ ∈ (0, 1] changes a δ by too little and too irregularly for a pattern (median |a/n|
    /// between 0.9 and 3.5 over these seeds): the check must fail, but need not name the cause.
    @Test func missingTanhDerivativeFails() {
        let smallest = expectBugIsDiagnosed(.missingHiddenDerivative, [(.tanh, .crossEntropy)], seeds: 0..<50,
                                            parameters: ["W1", "b1"]) { $0 != nil }
        print("gradient check, tanh′(Z1) left out: smallest worst rel.err \(smallest)")
    }

    @Test func missingOutputActivationDerivativeIsDiagnosed() {
        let smallest = expectBugIsDiagnosed(.missingOutputDerivative, [(.sigmoid, .quadratic)], seeds: 0..<50,
                                            parameters: ["W2", "b2"]) {
            guard case .activationDerivativeMissing = $0 else { return false }
            return true
        }
        print("gradient check, σ′(Z2) left out: smallest worst rel.err \(smallest)")
    }

    @Test func transposedSquareGradientIsDiagnosed() {
        let smallest = expectBugIsDiagnosed(.transposedW1, Self.smooth + Self.rectified, parameters: ["W1"], D: 5, H: 5) {
            $0 == .transposed(square: true)
        }
        print("gradient check, transposed square W1: smallest worst rel.err \(smallest)")
    }

    @Test func gradientReshapedInsteadOfTransposedIsDiagnosed() {
        let smallest = expectBugIsDiagnosed(.reshapedW1, Self.smooth + Self.rectified, parameters: ["W1"]) {
            $0 == .transposed(square: false)
        }
        print("gradient check, (H, D) reshaped to (D, H): smallest worst rel.err \(smallest)")
    }

    @Test func transposedShapeFailsAtOnceWithBothShapes() {
        let (net, X, Y) = TinyNetwork.random(seed: 4, activation: .sigmoid, cost: .quadratic)
        var evaluations = 0
        let grads = net.gradients(X, Y, bug: .transposedW1)
        let report = GradientChecker().check(name: "W1", at: net.W1, analytic: grads.W1) { W1 in
            evaluations += 1
            var n = net; n.W1 = W1; return n.loss(X, Y)
        }
        #expect(!report.passed)
        #expect(report.diagnosis == .shapeMismatch(parameter: [4, 5], analytic: [5, 4]))
        #expect(report.checkedCount == 0 && report.worst == nil)
        #expect(evaluations <= 1)
        #expect(report.description.contains("(5, 4)") && report.description.contains("(4, 5)"))
        #expect(report.advice?.contains("transposed") == true)
    }

    @Test func oneWrongEntryIsTheWorstAndIsNamed() {
        var smallest = Float.infinity
        for config in Self.smooth + Self.rectified {
            for seed in UInt64(0)..<30 {
                let (net, X, Y) = TinyNetwork.random(seed: seed, activation: config.activation, cost: config.cost)
                var grads = net.gradients(X, Y)
                var g = SeededGenerator(seed: 1000 + seed)
                let (i, j) = (g.nextInt(below: 4), g.nextInt(below: 5))
                let largest = grads.W1.absolute().max()
                grads.W1[i, j] += (g.nextDouble() < 0.5 ? -0.5 : 0.5) * largest
                let report = net.check(X, Y, gradients: grads)[0]
                #expect(!report.passed, "seed \(seed) \(config):\n\(report)")
                #expect(report.worstIndex == [i, j], "seed \(seed) \(config):\n\(report)")
                #expect(report.diagnosis == .fewWrongEntries(indices: [[i, j]], count: 1), "seed \(seed) \(config):\n\(report)")
                smallest = min(smallest, report.worst?.relativeError ?? .infinity)
            }
        }
        print("gradient check, one wrong entry: smallest worst rel.err \(smallest)")
    }

    // MARK: Bad values

    @Test func nonFiniteAnalyticValuesAreReported() throws {
        let (net, X, Y) = TinyNetwork.random(seed: 5, activation: .tanh, cost: .crossEntropy)
        var grads = net.gradients(X, Y)
        grads.b1[2] = .nan
        grads.b1[4] = .infinity
        let report = GradientChecker().check(name: "b1", at: net.b1, analytic: grads.b1) { b1 in
            var n = net; n.b1 = b1; return n.loss(X, Y)
        }
        #expect(!report.passed)
        #expect(report.diagnosis == .nonFiniteAnalytic(indices: [[2], [4]], count: 2))
        let worst = try #require(report.worst)
        #expect(worst.analytic.isNaN || worst.analytic.isInfinite)
    }

    @Test func nonFiniteLossIsReported() {
        let x: Tensor = [0.5, 1e-30]
        // log(x) of an entry at 1e-30 moved by −h is NaN.
        let report = GradientChecker().check(name: "p", at: x, analytic: 1 / x) { p in log(p).sum() }
        #expect(!report.passed)
        #expect(report.diagnosis == .nonFiniteLoss(index: [1]))
        let atStart = GradientChecker().check(name: "p", at: [0, 1], analytic: [1, 1]) { p in log(p).sum() }
        #expect(atStart.diagnosis == .nonFiniteLoss(index: nil))
    }
}

/// Sampling, the relative error, reports (printing, JSON) and the multi-parameter convenience.
@Suite struct GradientCheckReportTests {
    @Test func relativeErrorFollowsTheFormula() {
        #expect(GradientChecker.relativeError(analytic: 1, numeric: -1) == 1)
        #expect(GradientChecker.relativeError(analytic: 3, numeric: 1) == 0.5)
        #expect(GradientChecker.relativeError(analytic: 0, numeric: 0) == 0)
        #expect(abs(GradientChecker.relativeError(analytic: 1e-6, numeric: 0, floor: 1e-3) - 1e-3) < 1e-9)
        #expect(GradientChecker.relativeError(analytic: .nan, numeric: 1) == .infinity)
    }

    /// L(W) = mean(W ∘ M) + ½·mean(W²) on a (40, 30) matrix: ∂L/∂W = (M + W) / 1200.
    @Test func largeParametersAreCheckedAtASeededSample() {
        var g = SeededGenerator(seed: 9)
        let W = Tensor.normal([40, 30], using: &g), M = Tensor.normal([40, 30], using: &g)
        let count = Float(W.count)
        let loss = { (w: Tensor) in (w * M).sum() / count + 0.5 * w.squared().sum() / count }
        let gradient = (M + W) / count
        let checker = GradientChecker(sampleCount: 50, seed: 7)
        let indices = checker.checkedIndices(count: 1200)
        #expect(indices.count == 50 && Set(indices).count == 50 && indices == indices.sorted())
        #expect(indices.allSatisfy { (0..<1200).contains($0) })
        #expect(indices == GradientChecker(sampleCount: 50, seed: 7).checkedIndices(count: 1200))
        #expect(indices != GradientChecker(sampleCount: 50, seed: 8).checkedIndices(count: 1200))
        #expect(GradientChecker().checkedIndices(count: 1000) == Array(0..<1000))

        let report = checker.check(name: "W", at: W, analytic: gradient, loss: loss)
        #expect(report.passed && report.checkedCount == 50 && report.entryCount == 1200, "\(report)")
        let flipped = checker.check(name: "W", at: W, analytic: -gradient, loss: loss)
        #expect(!flipped.passed && flipped.checkedCount == 50 && flipped.diagnosis == .signFlipped, "\(flipped)")
    }

    /// On a 40 × 40 matrix only a sample is checked; the transpose test evaluates the partners.
    @Test func largeTransposedGradientIsDiagnosed() {
        var g = SeededGenerator(seed: 10)
        let W = Tensor.normal([40, 40], using: &g), M = Tensor.normal([40, 40], using: &g)
        let loss = { (w: Tensor) in (w * M).sum() / 1600 }
        let report = GradientChecker(sampleCount: 60).check(name: "W", at: W, analytic: M.T / 1600, loss: loss)
        #expect(!report.passed && report.checkedCount == 60 && report.diagnosis == .transposed(square: true), "\(report)")
    }

    @Test func descriptionPrintsTheSummaryAndOneLinePerEntry() throws {
        let (net, X, Y) = TinyNetwork.random(seed: 11, activation: .sigmoid, cost: .quadratic)
        let checker = GradientChecker(printedEntryCount: 3)
        let good = net.check(X, Y, gradients: net.gradients(X, Y), with: checker)[0]
        #expect(good.diagnosis == nil && good.advice == nil)
        let lines = good.description.split(separator: "\n").map(String.init)
        #expect(lines.count == 5, "\(good)")  // summary, 3 entries, "… 17 more"
        #expect(lines[0] == good.summary && lines[0].hasPrefix("W1 (4, 5): OK  worst rel.err "))
        #expect(lines[0].hasSuffix("(20 of 20 entries checked, tolerance 1.0e-02)"))
        let entry = try #require(good.worst)
        #expect(lines[1] == "  " + "W1[\(entry.index[0]), \(entry.index[1])]  analytic "
                + String(format: "% 10.6f", entry.analytic) + "  numeric " + String(format: "% 10.6f", entry.numeric)
                + "  rel.err " + String(format: "%.1e", entry.relativeError) + "  OK")
        #expect(lines[4] == "  … 17 more checked entries not shown")

        let bad = net.check(X, Y, gradients: net.gradients(X, Y, bug: .signFlip), with: checker)[0]
        #expect(bad.summary.contains("NOT OK") && bad.summary.contains("20 not OK"))
        #expect(bad.description.split(separator: "\n").filter { $0.hasSuffix("  NOT OK") }.count == 3)
        #expect(bad.description.contains("Likely mistake (sign flipped)"))
    }

    @Test func reportsRoundTripThroughJSONEvenWithNaN() throws {
        let (net, X, Y) = TinyNetwork.random(seed: 12, activation: .tanh, cost: .crossEntropy)
        var grads = net.gradients(X, Y)
        grads.b2[1] = .nan
        let reports = net.check(X, Y, gradients: grads)
        let data = try JSONEncoder().encode(reports)
        let decoded = try JSONDecoder().decode([GradientCheckReport].self, from: data)
        #expect(decoded.map(\.description) == reports.map(\.description))
        #expect(decoded.map(\.diagnosis) == reports.map(\.diagnosis))
        #expect(decoded[3].worst?.analytic.isNaN == true)
        #expect(String(decoding: data, as: UTF8.self).contains("\"nan\""))
    }

    @Test func keyPathConvenienceChecksEachParameterAndRestoresIt() {
        final class Model { var W: Tensor = [[1, 2], [3, -1]]; var b: Tensor = [0.5, -0.5] }
        let model = Model()
        // L = Σ (W·[1, 1] + b)², ∂L/∂W[i, j] = 2(W·1 + b)[i], ∂L/∂b = 2(W·1 + b).
        let loss = { (m: Model) in (m.W.sum(axis: 1) + m.b).squared().sum() }
        let r: Tensor = 2 * (model.W.sum(axis: 1) + model.b)
        let gradW = Tensor(shape: [2, 2], scalars: [r[0], r[0], r[1], r[1]])
        let reports = GradientChecker().check(model, parameters: [("W", \.W, gradW), ("b", \.b, r)], loss: loss)
        #expect(reports.map(\.parameterName) == ["W", "b"])
        #expect(reports.allPassed, "\(reports)")
        #expect(model.W == [[1, 2], [3, -1]] && model.b == [0.5, -0.5])
    }

    /// Entries far from 1 get a proportionally larger step: L = Σ x⁴/4, ∂L/∂x = x³.
    @Test func largeValuesAreCheckedWithAScaledStep() {
        let x: Tensor = [300, -40, 0.02, 7]
        let report = GradientChecker().check(name: "x", at: x, analytic: x * x * x) { v in (v.squared().squared() / 4).sum() }
        #expect(report.passed, "\(report)")
    }
}
