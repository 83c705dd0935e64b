import CourseGrading
import Foundation
import MultilayerPerceptron
import NeuralKit
import Testing

/// One-hot encoding, standardisation with the training set's statistics, and the seeded
/// mini-batches of an epoch, on fresh labels, images and sizes.
@Suite struct PreprocessingGrader {
    @Test("one-hot: row n has a single 1, in column labels[n] (fresh labels with 0 and C − 1)", .points(2))
    func oneHot() {
        let example = oneHotEncoded([2, 0], classes: 3)
        guard expectShape(example, [2, 3], "oneHotEncoded([2, 0], classes: 3)") else { return }
        expectClose(example, [[0, 0, 1], [1, 0, 0]], "oneHotEncoded([2, 0], classes: 3)")
        var g = GradingSeed.generator("Preprocessing.oneHot")
        let s = Fresh.distinctSizes([3...12, 2...10], &g)
        let (N, C) = (s[0], s[1])
        let labels = Fresh.labels(N, classes: C, &g)
        let got = oneHotEncoded(labels, classes: C)
        guard expectShape(got, [N, C], "oneHotEncoded(labels, classes: \(C)) for N = \(N) labels") else { return }
        let expected = (0..<N).flatMap { n in (0..<C).map { Double($0 == labels[n] ? 1 : 0) } }
        var note = ""
        for shift in [1, -1] {
            let shifted = (0..<N).flatMap { n in (0..<C).map { Double($0 == (labels[n] + shift + C) % C ? 1 : 0) } }
            if zip(got.scalars, shifted).allSatisfy({ Double($0) == $1 }) {
                note = "Every 1 sits one column \(shift > 0 ? "right" : "left") of its label: label y goes to column y (labels count from 0)."
            }
        }
        expectMatches(got, figure(expected, shape: [N, C]), "oneHotEncoded(\(labels), classes: \(C))", note: note)
    }

    /// Fresh "images" whose entries are not centred or scaled: mean in [−2, 3), spread in [0.5, 4).
    static func images(_ g: inout SeededGenerator, rows: Int, columns: Int) -> Tensor {
        let (centre, spread) = (g.float(-2, 3), g.float(0.5, 4))
        return Fresh.tensor(rows, columns, -1, 1, &g) * spread + centre
    }

    /// μ and the population standard deviation of every entry, in Double.
    static func statistics(_ x: Tensor) -> (mean: Double, deviation: Double, sampleDeviation: Double) {
        let K = Double(x.count)
        let mean = x.scalars.reduce(0.0) { $0 + Double($1) } / K
        let squares = x.scalars.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) }
        return (mean, (squares / K).squareRoot(), (squares / (K - 1)).squareRoot())
    }

    @Test("standardisation fits μ and s (÷ count) over every entry of the training images", .points(1))
    func fittedStatistics() {
        let example = Standardization(fittedTo: [[0, 2], [4, 6]])
        expectClose(example.mean, 3, "μ of [[0, 2], [4, 6]]")
        expectClose(example.standardDeviation, Float(5.0.squareRoot()), "s of [[0, 2], [4, 6]] (√5, the population standard deviation)")
        var g = GradingSeed.generator("Preprocessing.fit")
        let (N, D) = (g.integer(in: 5...20), g.integer(in: 3...12))
        let training = Self.images(&g, rows: N, columns: D)
        let fitted = Standardization(fittedTo: training)
        let expected = Self.statistics(training)
        expectClose(Double(fitted.mean), expected.mean, "μ of fresh (\(N), \(D)) training images", tolerance: 1e-5)
        if abs(Double(fitted.standardDeviation) - expected.sampleDeviation) <= 1e-5 * expected.sampleDeviation,
           abs(Double(fitted.standardDeviation) - expected.deviation) > 1e-5 * expected.deviation {
            recordFailure("s of fresh (\(N), \(D)) training images is \(fitted.standardDeviation), the sample standard deviation (÷ (K − 1)); the lesson uses the population one, ÷ K = \(N * D) entries: \(expected.deviation)")
        } else {
            expectClose(Double(fitted.standardDeviation), expected.deviation, "s of fresh (\(N), \(D)) training images (÷ K, every entry)", tolerance: 1e-5)
        }
    }

    @Test("standardisation transforms test images with the TRAINING statistics, whatever the test set's own", .points(2))
    func trainingStatisticsOnly() {
        var g = GradingSeed.generator("Preprocessing.transform")
        let D = g.integer(in: 3...10)
        let training = Self.images(&g, rows: g.integer(in: 6...15), columns: D)
        // A test set with other statistics: shifted and scaled.
        let test = Self.images(&g, rows: g.integer(in: 3...8), columns: D) * 2.5 + 4
        let fitted = Standardization(fittedTo: training)
        let stats = Self.statistics(training)
        let expected = test.scalars.map { (Double($0) - stats.mean) / stats.deviation }
        let got = fitted(test)
        var note = ""
        let own = Self.statistics(test)
        if got.shape == test.shape, zip(got.scalars, test.scalars).allSatisfy({ abs(Double($0) - (Double($1) - own.mean) / own.deviation) < 1e-3 }) {
            note = "The test images were standardised with their own mean and deviation: use the μ and s fitted to the training images (stored in the struct)."
        }
        expectMatches(got, figure(expected, shape: test.shape), "the standardised test images, (x − μ_train)/s_train", relative: 1e-5, note: note)
        let again = fitted(training)
        let trainStats = Self.statistics(again)
        if abs(trainStats.mean) > 1e-4 || abs(trainStats.deviation - 1) > 1e-4 {
            recordFailure("the training images, standardised with their own statistics, should have mean 0 and standard deviation 1; they have \(trainStats.mean) and \(trainStats.deviation)")
        }
    }

    /// Checks the batches of one epoch: every index once, sizes B, B, …, the rest.
    @discardableResult
    static func expectBatches(_ batches: [[Int]], count N: Int, batchSize B: Int, _ call: String,
                              sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let sizes = batches.map(\.count)
        let expectedSizes = Array(repeating: B, count: N / B) + (N % B == 0 ? [] : [N % B])
        guard sizes == expectedSizes else {
            recordFailure("\(call) should give \(expectedSizes.count) batches of sizes \(expectedSizes) (B each, the last one the \(N % B == 0 ? B : N % B) left over); got sizes \(sizes)",
                          sourceLocation: sourceLocation)
            return false
        }
        let all = batches.flatMap { $0 }
        guard all.sorted() == Array(0..<N) else {
            let missing = Set(0..<N).subtracting(all).sorted(), repeated = Dictionary(grouping: all, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
            recordFailure("\(call) should hold every index 0..<\(N) exactly once; missing \(missing.prefix(5)), repeated \(repeated.prefix(5)), out of range \(all.filter { !(0..<N).contains($0) }.prefix(5))",
                          sourceLocation: sourceLocation)
            return false
        }
        return true
    }

    @Test("mini-batches: every index once per epoch, batches of B, the last one smaller", .points(2))
    func batchesCoverEveryIndex() {
        var g = GradingSeed.generator("Preprocessing.batches")
        var cases: [(N: Int, B: Int)] = []
        let B = g.integer(in: 3...9)
        cases.append((B * g.integer(in: 3...6) + g.integer(in: 1...(B - 1)), B))   // a smaller last batch
        let B2 = g.integer(in: 2...6)
        cases.append((B2 * g.integer(in: 2...5), B2))                             // B divides N
        let N3 = g.integer(in: 2...5)
        cases.append((N3, N3 + g.integer(in: 1...4)))                             // one batch smaller than B
        for (N, B) in cases {
            let seed = g.seed()
            let call = "MiniBatches(count: \(N), batchSize: \(B), seed: \(seed))"
            guard Self.expectBatches(Array(MiniBatches(count: N, batchSize: B, seed: seed)), count: N, batchSize: B, call) else { return }
        }
        let (N, seed) = (g.integer(in: 12...30), g.seed())
        let order = Array(MiniBatches(count: N, batchSize: 4, seed: seed)).flatMap { $0 }
        if order == Array(0..<N) {
            recordFailure("MiniBatches(count: \(N), batchSize: 4, seed: \(seed)) keeps the indices in order 0, 1, 2, …: shuffle them with a generator made from the seed")
        }
    }

    @Test("mini-batches: the same seed gives the same batches, another seed other ones", .points(1))
    func batchesFollowTheSeed() {
        var g = GradingSeed.generator("Preprocessing.batchSeeds")
        let (N, B) = (g.integer(in: 15...40), g.integer(in: 3...7))
        let (seed, other) = (g.seed(), g.seed() + 1_000_000)
        let first = Array(MiniBatches(count: N, batchSize: B, seed: seed))
        let call = "MiniBatches(count: \(N), batchSize: \(B), seed: \(seed))"
        guard Self.expectBatches(first, count: N, batchSize: B, call) else { return }
        let again = MiniBatches(count: N, batchSize: B, seed: seed)
        if Array(again) != first || Array(again) != first {
            recordFailure("\(call) made twice (and iterated twice) should give the same batches every time")
        }
        let different = Array(MiniBatches(count: N, batchSize: B, seed: other))
        if different == first {
            recordFailure("MiniBatches with seeds \(seed) and \(other) give the same batches: the shuffle should come from a generator made from the seed")
        }
    }
}
