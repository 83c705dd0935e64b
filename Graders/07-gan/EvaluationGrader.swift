import AdversarialNetworks
import CourseGrading
import Foundation
import NeuralKit
import Testing

/// classSpread on probability rows the grader makes by hand: confident rows (largest entry above τ),
/// rows whose largest entry is exactly τ, just below or well below it, a class that only ever
/// appears without confidence, and a fresh τ.
@Suite struct EvaluationGrader {
    /// Rows (N, C) and what they were built to give.
    struct Sample: CustomStringConvertible {
        var probabilities: Tensor
        var τ: Float
        var counts: [Int]
        var confident: Int

        /// - Parameter lessonThreshold: τ = 0.9 (otherwise a fresh τ in [0.6, 0.95)).
        init(_ purpose: String, lessonThreshold: Bool) {
            var g = GradingSeed.generator(purpose)
            let C = g.integer(in: 3...10), N = g.integer(in: 20...50)
            τ = lessonThreshold ? 0.9 : g.float(0.6, 0.95)
            let hesitant = g.nextInt(below: C)   // a class that is only ever the top without confidence
            var rows: [[Float]] = []
            counts = [Int](repeating: 0, count: C)
            confident = 0
            for n in 0..<N {
                var c = g.nextInt(below: C)
                let kind = n < 2 ? n : g.nextInt(below: 5)
                if kind != 0 && kind != 3, c == hesitant { c = (c + 1) % C }
                let top: Float
                switch kind {
                case 0: top = τ                                             // exactly τ: not confident
                case 1: top = Swift.min(τ + 0.004, 0.999)                   // just above: confident
                case 2: top = g.float(Double(τ) + 0.01, 1)
                case 3: top = Swift.max(τ - 0.004, 0.5)                     // just below
                default: top = Swift.max(g.float(0.5, Double(τ) - 0.05), 0.5)
                }
                // The rest spread over the other classes, each below ½ ≤ top... and below top.
                let weights = (0..<(C - 1)).map { _ in g.float(0.5, 1.5) }
                let total = weights.reduce(0, +)
                var row = [Float](repeating: 0, count: C), k = 0
                for j in 0..<C where j != c { row[j] = (1 - top) * weights[k] / total; k += 1 }
                row[c] = top
                rows.append(row)
                if top > τ { counts[c] += 1; confident += 1 }
            }
            probabilities = Tensor(rows)
        }

        var description: String { "\(probabilities.shape[0]) rows of C = \(probabilities.shape[1]) probabilities, τ = \(τ)" }
    }

    @Test("classSpread gives the lesson's example: [[0.95, 0.05], [0.6, 0.4], [0.02, 0.98]], τ = 0.9 → counts [1, 1], 2 classes, fraction 2/3", .points(1))
    func lessonExample() {
        let got = classSpread(probabilities: [[0.95, 0.05], [0.6, 0.4], [0.02, 0.98]], confidence: 0.9)
        guard got.countsPerClass == [1, 1] else { recordFailure("countsPerClass is \(got.countsPerClass), expected [1, 1]"); return }
        guard got.classesFound == 2 else { recordFailure("classesFound is \(got.classesFound), expected 2"); return }
        expectClose(got.confidentFraction, 2.0 / 3, "confidentFraction")
    }

    @Test("classSpread counts each confident row (largest probability strictly above τ) for its class, on fresh hand-made rows with maxima at, just above and just below τ", .points(3))
    func freshRows() {
        for (purpose, lessonThreshold) in [("Evaluation.spread.1", false), ("Evaluation.spread.2", true), ("Evaluation.spread.3", false)] {
            let s = Sample(purpose, lessonThreshold: lessonThreshold)
            let N = s.probabilities.shape[0]
            let got = classSpread(probabilities: s.probabilities, confidence: s.τ)
            guard got.countsPerClass == s.counts else {
                var note = ""
                let rows = (0..<N).map { n in (0..<s.probabilities.shape[1]).map { s.probabilities[n, $0] } }
                let withEqual = (0..<s.counts.count).map { c in rows.filter { $0.max()! >= s.τ && $0.firstIndex(of: $0.max()!) == c }.count }
                let unconditional = (0..<s.counts.count).map { c in rows.filter { $0.firstIndex(of: $0.max()!) == c }.count }
                if got.countsPerClass == withEqual { note = " Rows whose largest probability is exactly τ are counted: confident means strictly above τ." }
                else if got.countsPerClass == unconditional { note = " Every row is counted: only rows whose largest probability is above τ count." }
                recordFailure("countsPerClass for \(s) is \(got.countsPerClass), expected \(s.counts).\(note)")
                return
            }
            let found = s.counts.filter { $0 > 0 }.count
            guard got.classesFound == found else {
                recordFailure("classesFound for \(s) with confident counts \(s.counts) is \(got.classesFound), expected \(found) (classes with at least one confident row)")
                return
            }
            guard expectClose(got.confidentFraction, Double(s.confident) / Double(N), "confidentFraction for \(s) (confident rows / N)") else { return }
        }
    }
}
