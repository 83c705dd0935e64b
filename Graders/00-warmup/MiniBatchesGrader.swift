import CourseGrading
import NeuralKit
import Testing
import WarmUp

@Suite struct MiniBatchesGrader {
    @Test("mini-batches cover every index exactly once, the last batch holding the rest", .points(2))
    func coverEveryIndex() {
        let batches = miniBatches(count: 10, batchSize: 4, seed: 1)
        #expect(batches.map(\.count) == [4, 4, 2], "batch sizes for 10 examples in batches of 4 should be [4, 4, 2]")
        #expect(batches.flatMap { $0 }.sorted() == Array(0..<10), "every index 0..<10 should appear exactly once")
        let exact = miniBatches(count: 6, batchSize: 3, seed: 1)
        #expect(exact.map(\.count) == [3, 3], "6 examples in batches of 3 make exactly two batches, no empty third one")
    }

    @Test("mini-batches are shuffled with the seed", .points(2))
    func shuffledWithSeed() {
        let first = miniBatches(count: 50, batchSize: 50, seed: 11)
        #expect(first.count == 1)
        #expect(first.first ?? [] != Array(0..<50), "the indices should be shuffled, not in order")
        #expect(miniBatches(count: 50, batchSize: 8, seed: 11) == miniBatches(count: 50, batchSize: 8, seed: 11),
                "the same seed should give the same batches")
        #expect(miniBatches(count: 50, batchSize: 8, seed: 11) != miniBatches(count: 50, batchSize: 8, seed: 12),
                "different seeds should give different batches")
    }
}
