import CourseGrading
import NeuralKit
import Testing
import WarmUp

/// `miniBatches(count: N, batchSize: B, seed: s)`: the order `SeededGenerator(seed: s).permutation(N)`
/// cut into ⌈N / B⌉ consecutive batches, B indices each but the last, which holds the N mod B left
/// (when N mod B ≠ 0). Judged on the lesson's example and on fresh (N, B, s).
@Suite struct MiniBatchesGrader {
    @Test("mini-batches cover every index exactly once, the last batch holding the rest", .points(2))
    func coverEveryIndex() {
        for (count, batchSize, seed) in [(10, 4, UInt64(1)), (6, 3, 1)] + freshCases("MiniBatches.coverEveryIndex") {
            let batches = miniBatches(count: count, batchSize: batchSize, seed: seed)
            if let problem = layoutProblem(batches, count: count, batchSize: batchSize) {
                recordFailure("miniBatches(count: \(count), batchSize: \(batchSize), seed: \(seed)): \(problem)")
            }
        }
    }

    @Test("mini-batches depend on the seed: the same seed gives the same batches, other seeds others", .points(2))
    func shuffledWithSeed() {
        var generator = GradingSeed.generator("MiniBatches.shuffledWithSeed")
        let count = generator.integer(in: 20...40), batchSize = generator.integer(in: 3...9)
        var seeds: [UInt64] = []
        while seeds.count < 4 {
            let seed = generator.seed()
            if !seeds.contains(seed) { seeds.append(seed) }
        }
        let call = "miniBatches(count: \(count), batchSize: \(batchSize), seed: \(seeds[0]))"
        let first = miniBatches(count: count, batchSize: batchSize, seed: seeds[0])
        guard first == miniBatches(count: count, batchSize: batchSize, seed: seeds[0]) else {
            recordFailure("\(call) gave different batches on two calls with the same seed: every random choice must come from "
                          + "SeededGenerator(seed: seed) (`shuffled()` or `Int.random(in:)` without `using:` draw from the system's generator)")
            return
        }
        let same = seeds.dropFirst().filter { miniBatches(count: count, batchSize: batchSize, seed: $0) == first }
        if first.flatMap({ $0 }) == Array(0..<count) {
            recordFailure("\(call) gives the indices in order 0, 1, 2, …: they are not shuffled")
        } else if same.count == seeds.count - 1 {
            recordFailure("miniBatches(count: \(count), batchSize: \(batchSize), seed: s) gives the same batches for the seeds \(seeds.map(String.init).joined(separator: ", ")): "
                          + "the seed is not used; shuffle with SeededGenerator(seed: seed)")
        } else if let other = same.first {
            recordFailure("miniBatches(count: \(count), batchSize: \(batchSize), seed: s) gives the same batches for the seeds \(seeds[0]) and \(other); different seeds should give different batches")
        }
        // One batch holding everything must be shuffled too.
        let whole = generator.integer(in: 20...30), larger = whole + generator.integer(in: 0...5)
        let only = miniBatches(count: whole, batchSize: larger, seed: seeds[1])
        if only.flatMap({ $0 }) == Array(0..<whole) {
            recordFailure("miniBatches(count: \(whole), batchSize: \(larger), seed: \(seeds[1])) gives the indices in order: when one batch holds everything it must still be shuffled")
        }
    }

    @Test("mini-batches mix the whole data set, not only inside consecutive blocks", .points(1))
    func mixAcrossBlocks() {
        var generator = GradingSeed.generator("MiniBatches.mixAcrossBlocks")
        for _ in 0..<2 {
            let count = generator.integer(in: 24...40), batchSize = generator.integer(in: 3...(count / 3)), seed = generator.seed()
            let batches = miniBatches(count: count, batchSize: batchSize, seed: seed)
            let blocks = stride(from: 0, to: count, by: batchSize).map { Set($0..<min($0 + batchSize, count)) }
            if !batches.isEmpty, batches.allSatisfy({ blocks.contains(Set($0)) }) {
                let inOrder = batches.flatMap { $0 } == Array(0..<count)
                recordFailure("miniBatches(count: \(count), batchSize: \(batchSize), seed: \(seed)): every batch is a block of consecutive indices "
                              + "(batch 0 = \(batches[0]))" + (inOrder ? ", in order: the indices are not shuffled"
                                                                 : ", only reordered: shuffle all of 0..<N first, then cut the shuffled order into batches"))
            }
        }
    }

    @Test("mini-batches are SeededGenerator(seed: seed).permutation(count) cut in order, as the lesson asks", .points(2))
    func lessonShuffle() {
        // What differs, per failing case, and which explanations hold where they can tell (a
        // single batch, or batches of one, fit "the right batches in another order" trivially).
        var failures: [(message: String, facts: [String: Bool])] = []
        for (count, batchSize, seed) in [(10, 4, UInt64(1))] + freshCases("MiniBatches.lessonShuffle") {
            let call = "miniBatches(count: \(count), batchSize: \(batchSize), seed: \(seed))"
            let batches = miniBatches(count: count, batchSize: batchSize, seed: seed)
            var generator = SeededGenerator(seed: seed)
            let expected = cut(generator.permutation(count), batchSize)
            guard batches != expected else { continue }
            if let problem = layoutProblem(batches, count: count, batchSize: batchSize) {
                recordFailure("\(call): the batches do not yet split 0..<\(count) into the right sizes (\(problem)); "
                              + "fix that first (see “mini-batches cover every index exactly once”)")
                return
            }
            let differing = zip(batches, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? 0
            var facts: [String: Bool] = [:]
            if count >= 5 {
                var standard = SeededGenerator(seed: seed)
                facts["standard"] = batches == cut(Array(0..<count).shuffled(using: &standard), batchSize)
            }
            if batchSize >= 2, expected.count >= 2 {
                facts["within"] = batches.map { $0.sorted() } == expected.map { $0.sorted() }
                facts["order"] = Set(batches) == Set(expected)
            }
            failures.append(("\(call) differs from the lesson's shuffle; batch \(differing): expected \(expected[differing]), got \(batches[differing])", facts))
        }
        guard !failures.isEmpty else { return }
        // An explanation is named when it holds on every failing case that can tell, two at least.
        let explanations = [
            ("standard", "These are the batches of Array(0..<count).shuffled(using:), whose algorithm draws differently: take generator.permutation(count) as the lesson asks"),
            ("within", "Each batch holds the right indices in another order: keep the permutation's order inside each batch"),
            ("order", "These are the right batches in another order: cut the permutation from its start, in order"),
        ].filter { key, _ in
            let telling = failures.compactMap { $0.facts[key] }
            return telling.count >= 2 && telling.allSatisfy { $0 }
        }
        let note = explanations.count == 1 ? explanations[0].1
            : "The lesson's batches are SeededGenerator(seed: seed).permutation(count) cut into consecutive slices of batchSize, in order"
        for (i, failure) in failures.enumerated() {
            recordFailure(failure.message + (i == 0 ? "\n  " + note : ""))
        }
    }

    /// Fresh (count, batchSize, seed): a count divisible by the batch size, one that is not, a
    /// batch larger than the data, batches of one, and one batch exactly the data.
    private func freshCases(_ purpose: String) -> [(Int, Int, UInt64)] {
        var g = GradingSeed.generator(purpose)
        let divisible = g.integer(in: 2...6), rest = g.integer(in: 3...7), small = g.integer(in: 1...9), equal = g.integer(in: 2...9)
        return [(divisible * g.integer(in: 2...5), divisible, g.seed()),
                (rest * g.integer(in: 1...4) + g.integer(in: 1...(rest - 1)), rest, g.seed()),
                (small, small + g.integer(in: 1...6), g.seed()),
                (g.integer(in: 2...7), 1, g.seed()),
                (equal, equal, g.seed())]
    }

    /// `order` cut into consecutive slices of `batchSize`, the last holding the rest.
    private func cut(_ order: [Int], _ batchSize: Int) -> [[Int]] {
        var batches: [[Int]] = []
        var start = 0
        while start < order.count {
            let end = min(start + batchSize, order.count)
            batches.append(Array(order[start..<end]))
            start = end
        }
        return batches
    }

    /// The sizes the batches must have: ⌊N / B⌋ batches of B, then one of N mod B if that is not 0.
    private func sizes(_ count: Int, _ batchSize: Int) -> [Int] {
        Array(repeating: batchSize, count: count / batchSize) + (count % batchSize > 0 ? [count % batchSize] : [])
    }

    /// What is wrong with the batches as a split of 0..<count (nil when nothing is): empty batches,
    /// indices outside 0..<count, repeated or missing, wrong sizes; a cause is named only when the
    /// batches are exactly what that slip gives.
    private func layoutProblem(_ batches: [[Int]], count: Int, batchSize: Int) -> String? {
        var problems: [String] = []
        let expectedSizes = sizes(count, batchSize), got = batches.map(\.count)
        if let empty = got.firstIndex(of: 0) {
            var text = "batch \(empty) of \(batches.count) is empty; no batch may be empty"
            if got.filter({ $0 > 0 }) == expectedSizes, got.last == 0, got.dropLast().allSatisfy({ $0 > 0 }) {
                text += " (the last one: when N is a multiple of batchSize, stop before N: stride(from: 0, to: count, by: batchSize))"
            }
            problems.append(text)
        }
        let all = batches.flatMap { $0 }
        let outside = all.filter { !(0..<count).contains($0) }
        if !outside.isEmpty { problems.append("\(outside.prefix(5).map(String.init).joined(separator: ", ")) \(outside.count == 1 ? "is" : "are") not in 0..<\(count)") }
        var seen: [Int: Int] = [:]      // index → the first batch holding it
        var repeated: String?
        for (b, batch) in batches.enumerated() {
            for index in batch {
                if let earlier = seen[index] {
                    repeated = repeated ?? "index \(index) appears twice (batches \(earlier) and \(b)); every index belongs to exactly one batch"
                } else {
                    seen[index] = b
                }
            }
        }
        if let repeated { problems.append(repeated) }
        let missing = (0..<count).filter { seen[$0] == nil }
        if !missing.isEmpty {
            var text = "\(missing.count == 1 ? "index" : "indices") \(missing.prefix(8).map(String.init).joined(separator: ", "))\(missing.count > 8 ? ", …" : "") \(missing.count == 1 ? "is" : "are") missing"
            if missing == [count - 1], count % batchSize != 1, got == sizes(count - 1, batchSize), outside.isEmpty {
                text += " (is the range 0..<count − 1 instead of 0..<count?)"
            }
            problems.append(text)
        }
        if batches.isEmpty {
            problems.append("there are no batches; \(count) examples in batches of \(batchSize) make \(expectedSizes.count)"
                            + (batchSize > count ? " (a batchSize larger than count gives one batch holding every index)" : ""))
        } else if got != expectedSizes {
            var text = "the batch sizes are \(got), expected \(expectedSizes) (batches of \(batchSize), the last one holding the rest)"
            if expectedSizes.count >= 2, got == Array(expectedSizes.dropLast()), count % batchSize != 0 {
                text += "; the last, smaller batch is missing"
            } else if expectedSizes.count >= 2, got == expectedSizes.reversed() {
                text += "; the smaller batch must come last"
            } else if expectedSizes.count >= 2, count % batchSize != 0,
                      got == expectedSizes.dropLast(2) + [batchSize + count % batchSize] {
                text += "; the rest is merged into the batch before it: it must be a batch of its own"
            }
            problems.append(text)
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }
}
