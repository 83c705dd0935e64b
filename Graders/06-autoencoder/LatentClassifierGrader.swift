import Autoencoders
import CourseGrading
import NeuralKit
import Testing

/// NearestCentroid: the class means of fresh codes against the grader's Double means, and
/// predictions against the grader's nearest centroid, with exact ties (integer codes and centroids,
/// whose squared distances Float computes exactly) going to the lowest class.
/// Shapes: N codes of K entries, C classes, M queries.
@Suite struct LatentClassifierGrader {
    @Test("NearestCentroid(codes:labels:classes:) holds the mean code of every class, (C, K), on fresh codes", .points(1))
    func centroids() {
        var g = GradingSeed.generator("Centroid.means")
        let (C, K) = (g.integer(in: 2...5), g.integer(in: 2...6))
        let N = C + g.integer(in: 3...20)
        // Every class at least once, the rest drawn; rows in a fresh order.
        let labels = ((0..<C).map { $0 } + (0..<(N - C)).map { _ in g.nextInt(below: C) }).shuffledRows(&g)
        let codes = Fresh.tensor([N, K], -3, 3, &g)
        let rows = (0..<N).map { n in (0..<K).map { Double(codes.scalars[n * K + $0]) } }
        let expected = ReferenceRanking.centroids(rows, labels, classes: C)
        let magnitude = ReferenceRanking.centroids(rows.map { $0.map(abs) }, labels, classes: C)
        let got = NearestCentroid(codes: codes, labels: labels, classes: C).centroids
        expectMatches(got, Figure(values: expected.flatMap { $0 }, magnitude: magnitude.flatMap { $0 }, shape: [C, K]),
                      "NearestCentroid(codes: \(Tensor.describe([N, K])), labels: \(labels), classes: \(C)).centroids", relative: 1e-5,
                      note: "Row c is the mean of the codes labelled c: their sum divided by how many there are.")
    }

    @Test("predict gives the class of the nearest centroid (Euclidean), the lowest class on exact ties: the lesson's example and fresh integer codes", .points(2))
    func predictions() {
        let example = NearestCentroid(codes: [[0, 0], [2, 0], [5, 5]], labels: [0, 0, 1], classes: 2)
        let got = example.predict([[4, 4], [3, 2.5]])
        guard got == [1, 0] else {
            recordFailure("the lesson's example: centroids [[1, 0], [5, 5]], predict([[4, 4], [3, 2.5]]) gave \(got), expected [1, 0] ([3, 2.5] is 10.25 from both: the lowest class wins a tie)")
            return
        }
        var g = GradingSeed.generator("Centroid.predict")
        let (C, K, M) = (g.integer(in: 3...6), g.integer(in: 2...4), 60)
        var classifier = example
        classifier.centroids = Tensor(shape: [C, K], scalars: (0..<(C * K)).map { _ in Float(g.integer(in: -3...3)) })
        let queries = Tensor(shape: [M, K], scalars: (0..<(M * K)).map { _ in Float(g.integer(in: -4...4)) })
        let centres = (0..<C).map { c in (0..<K).map { Double(classifier.centroids.scalars[c * K + $0]) } }
        let expected = (0..<M).map { m in ReferenceRanking.nearest((0..<K).map { Double(queries.scalars[m * K + $0]) }, centres) }
        let predicted = classifier.predict(queries)
        guard predicted.count == M else { recordFailure("predict of \(M) codes gave \(predicted.count) classes"); return }
        guard let m = (0..<M).first(where: { predicted[$0] != expected[$0] }) else { return }
        let query = (0..<K).map { Double(queries.scalars[m * K + $0]) }
        let distances = ReferenceRanking.squaredDistances(query, centres)
        var message = "predict with \(C) centroids \(centres.map { $0.map { Int($0) } }): code \(query.map { Int($0) }) gave class \(predicted[m]), expected \(expected[m]) (squared distances \(distances.map { Int($0) }))"
        if predicted[m] < C, distances[predicted[m]] == distances[expected[m]] { message += "\n  A tie: the lowest class wins (replace the best only on a strictly smaller distance)." }
        recordFailure(message)
    }
}

private extension Array where Element == Int {
    /// The array in an order drawn from `g`.
    func shuffledRows(_ g: inout SeededGenerator) -> [Int] { g.permutation(count).map { self[$0] } }
}
