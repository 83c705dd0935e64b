import CourseGrading
import NeuralKit
import Testing
import WarmUp

/// `meanSquaredError(p, t) = (1/N) Σ_i (p_i − t_i)²` over all N entries, and
/// `accuracy = (number of i with predictions[i] == labels[i]) / N`, judged against the grader's
/// own loops in `Double` on the lesson's examples and on fresh data.
@Suite struct MetricsGrader {
    @Test("mean squared error of the lesson's example is 2, and (1/N) Σ (pᵢ − tᵢ)² on fresh vectors", .points(1))
    func lessonExample() {
        let cases = Cases()
        defer { cases.finish() }
        checkMeanSquaredError([1, 2], [1, 4], "meanSquaredError([1, 2], [1, 4])", in: cases)
        var generator = GradingSeed.generator("Metrics.lessonExample")
        for count in [generator.integer(in: 3...6), generator.integer(in: 7...15)] {
            let p = Tensor(generator.floats(count, -3, 3)), t = Tensor(generator.floats(count, -3, 3))
            checkMeanSquaredError(p, t, "meanSquaredError of two fresh vectors of \(count) entries", in: cases)
        }
    }

    @Test("mean squared error averages over every entry of a matrix", .points(2))
    func averagesOverAllEntries() {
        let cases = Cases()
        defer { cases.finish() }
        // 6 entries, squared differences 1, 0, 4, 0, 9, 2.25: the mean is 16.25 / 6.
        checkMeanSquaredError([[1, 2, 3], [4, 5, 6]], [[0, 2, 1], [4, 2, 7.5]], "meanSquaredError of two (2, 3) matrices", in: cases)
        var generator = GradingSeed.generator("Metrics.averagesOverAllEntries")
        for _ in 0..<2 {
            // R ≠ C, so that dividing by the rows and dividing by the columns differ.
            let rows = generator.integer(in: 2...5)
            var columns = generator.integer(in: 2...5)
            while columns == rows { columns = generator.integer(in: 2...5) }
            let p = Tensor.uniform([rows, columns], low: -3, high: 3, using: &generator)
            let t = Tensor.uniform([rows, columns], low: -3, high: 3, using: &generator)
            checkMeanSquaredError(p, t, "meanSquaredError of two fresh (\(rows), \(columns)) matrices", in: cases)
        }
    }

    @Test("accuracy counts matching predictions, on the lesson's example and fresh labels", .points(1))
    func accuracyExample() {
        let cases = Cases()
        defer { cases.finish() }
        checkAccuracy([0, 1, 1, 0], [0, 1, 0, 0], "accuracy(predictions: [0, 1, 1, 0], labels: [0, 1, 0, 0])", in: cases)
        checkAccuracy([2, 2, 2], [0, 1, 2], "accuracy(predictions: [2, 2, 2], labels: [0, 1, 2])", in: cases)
        checkAccuracy([5], [5], "accuracy(predictions: [5], labels: [5])", in: cases)
        var generator = GradingSeed.generator("Metrics.accuracyExample")
        // As many labels as the visible examples, with other numbers of matches (never 3 of 4,
        // 1 of 3 or 1 of 1), then longer random label arrays.
        for (count, matching) in [(4, generator.integer(in: 1...2)), (3, [0, 2, 3][generator.nextInt(below: 3)]), (1, 0),
                                  (generator.integer(in: 5...12), -1), (generator.integer(in: 20...40), -1)] {
            let classes = generator.integer(in: 2...5)
            let labels = (0..<count).map { _ in generator.nextInt(below: classes) }
            var predictions = labels.map { label in
                generator.uniform() < 0.6 ? label : (label + 1 + generator.nextInt(below: classes - 1)) % classes
            }
            if matching >= 0 {   // exactly `matching` right, at random positions
                let right = Set(generator.permutation(count).prefix(matching))
                predictions = labels.indices.map { right.contains($0) ? labels[$0] : (labels[$0] + 1) % classes }
            }
            checkAccuracy(predictions, labels, count <= 6 ? "accuracy(predictions: \(predictions), labels: \(labels))"
                                                           : "accuracy of \(count) fresh predictions", in: cases)
        }
    }

    /// Checks the student's MSE against Σ (p − t)² / N in Double, noting what known slips would
    /// give on this data, with its real N (`Cases` names one only when it explains every case).
    private func checkMeanSquaredError(_ p: Tensor, _ t: Tensor, _ name: String, in cases: Cases,
                                       sourceLocation: SourceLocation = #_sourceLocation) {
        let n = p.count
        var squares = 0.0, absolutes = 0.0, differences = 0.0
        for i in 0..<n {
            let d = Double(p.scalars[i]) - Double(t.scalars[i])
            squares += d * d
            absolutes += abs(d)
            differences += d
        }
        let expected = squares / Double(n)
        var mistakes = [
            KnownMistake("root", "That is √MSE (the root mean squared error): leave out the square root.", expected.squareRoot()),
            KnownMistake("absolute", "That is the mean of |p − t|: square the differences instead.", absolutes / Double(n)),
            KnownMistake("half", "That is half the mean squared error: there is no ½ here.", expected / 2),
            KnownMistake("mean difference", "That is the square of the mean difference: square each difference first, then average.",
                         (differences / Double(n)) * (differences / Double(n))),
        ]
        if n >= 2 {
            mistakes.append(KnownMistake("sum", "That is N = \(n) times the mean: the squared errors are summed, not averaged; divide by N = \(n).", squares))
            mistakes.append(KnownMistake("n-1", "That divides by N − 1 = \(n - 1); the mean divides by N = \(n).", squares / Double(n - 1)))
        }
        if p.rank == 2 {
            let (rows, columns) = (p.shape[0], p.shape[1])
            mistakes.append(KnownMistake("rows", "That divides by the \(rows) rows only; the mean is over all \(rows)·\(columns) = \(n) entries.", squares / Double(rows)))
            mistakes.append(KnownMistake("columns", "That divides by the \(columns) columns only; the mean is over all \(rows)·\(columns) = \(n) entries.", squares / Double(columns)))
        }
        let got = Double(meanSquaredError(p, t))
        cases.compare([got], shape: [], [expected], name, mistakes: mistakes, sourceLocation: sourceLocation)
    }

    /// Checks the student's accuracy against (number of matches) / N, counted here.
    private func checkAccuracy(_ predictions: [Int], _ labels: [Int], _ name: String, in cases: Cases,
                               sourceLocation: SourceLocation = #_sourceLocation) {
        var matching = 0
        for i in 0..<labels.count where predictions[i] == labels[i] { matching += 1 }
        let expected = Double(matching) / Double(labels.count)
        var mistakes = [KnownMistake("mismatches", "That is the fraction of mismatches: count the predictions equal to their label.", 1 - expected)]
        if labels.count >= 2 {
            mistakes.append(KnownMistake("count", "That is the number of matches, not the fraction: divide by N = \(labels.count).", Double(matching)))
        }
        let got = accuracy(predictions: predictions, labels: labels)
        cases.compare([got], shape: [], [expected], "\(name) (\(matching) of \(labels.count) match)",
                      tolerance: 1e-6, mistakes: mistakes, sourceLocation: sourceLocation)
    }
}
