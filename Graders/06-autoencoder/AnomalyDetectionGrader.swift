import Autoencoders
import CourseGrading
import Foundation
import NeuralKit
import Testing

/// Defect detection: the scores (the per-pixel squared error of the model's reconstruction of the
/// image given, recomputed by the grader's own forward pass), the AUC (pair counting with ties ½:
/// ReferenceRanking.swift) on hand-made lists with ties and on fresh ones, and the ROC points.
/// Shapes: N images, D pixels; P anomalies, Q normal images.
@Suite struct AnomalyDetectionGrader {
    @Test("reconstructionScores: (1/D) Σ_d (x̂ − x)² of every image as given — here images with injected defects — recomputed with the grader's forward pass", .points(2))
    func scores() {
        var g = GradingSeed.generator("Anomaly.scores")
        let N = g.integer(in: 3...8)
        let model = Autoencoder.dense(sizes: [784, g.integer(in: 8...16), g.integer(in: 2...4)], seed: g.seed())
        var defects = SeededGenerator(seed: g.seed())
        let x = injectDefects(Fresh.images(N, 784, &g), using: &defects)
        let got = reconstructionScores(of: model, images: x)
        guard got.count == N else { recordFailure("reconstructionScores of \(N) images gives \(got.count) scores"); return }
        let network = ReferenceNetwork(model.encoder, model.decoder)
        let reconstruction = ReferenceLoss.sigmoid(network.forward(x).last!)
        var expected = Figure(zeros: [N])
        for n in 0..<N {
            for d in 0..<784 {
                let (a, y) = (reconstruction.values[n * 784 + d], Double(x.scalars[n * 784 + d]))
                expected.add(n, (a - y) * (a - y) / 784, magnitude: (abs(a) + abs(y)) * (abs(a) + abs(y)) / 784)
            }
        }
        var note = "score_n = (1/D) Σ_d (x̂[n, d] − x[n, d])² with x̂ = model(x), the reconstruction of the image given (defects included)."
        let again = model(model(x))
        let cleaned = (0..<N).map { n in (0..<784).reduce(0.0) { t, d in
            let e = Double(again.scalars[n * 784 + d]) - reconstruction.values[n * 784 + d]
            return t + e * e / 784 } }
        if zip(got, cleaned).allSatisfy({ abs(Double($0) - $1) <= 1e-4 * ($1 + 1e-6) }) {
            note += " Your scores compare the reconstruction with a cleaned copy (the reconstruction of the reconstruction), not with the image given."
        }
        expectMatches(Tensor(shape: [N], scalars: got), expected, "reconstructionScores of \(N) images (784 pixels) with injected defects", relative: 1e-4, pixels: 784, note: note)
    }

    /// Checks areaUnderCurve on one list against pair counting; names "ties as wins" when it is exactly that.
    @discardableResult
    static func expectArea(_ scores: [Float], _ isAnomaly: [Bool], _ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let got = areaUnderCurve(scores: scores, isAnomaly: isAnomaly)
        let expected = ReferenceRanking.areaUnderCurve(scores, isAnomaly)
        guard !(abs(got - expected) <= 1e-9) else { return true }
        var message = "areaUnderCurve of \(name): expected \(describe(expected)), got \(describe(got)) — AUC = (wins + ½ ties) / (P·Q) over every pair of an anomaly and a normal score"
        let asWins = ReferenceRanking.areaUnderCurveTiesAsWins(scores, isAnomaly)
        if asWins != expected, abs(got - asWins) <= 1e-9 { message += "\n  That is the AUC with ties counted as wins: a tie counts ½." }
        let asLosses = expected - (asWins - expected)
        if asWins != expected, abs(got - asLosses) <= 1e-9 { message += "\n  That is the AUC with ties counted as losses: a tie counts ½." }
        if abs(got - (1 - expected)) <= 1e-9, abs(expected - 0.5) > 1e-6 { message += "\n  That is 1 − AUC: a higher score means \"more anomalous\"." }
        recordFailure(message, sourceLocation: sourceLocation)
        return false
    }

    @Test("areaUnderCurve on hand-made lists with ties: the lesson's (0.875), all scores equal (½), separated (1), reversed (0), and mixed ties", .points(2))
    func handMadeAreas() {
        let lists: [([Float], [Bool], String)] = [
            ([0.9, 0.5, 0.5, 0.1], [true, true, false, false], "the lesson's example [0.9, 0.5, 0.5, 0.1], anomalies [T, T, F, F] (expected 0.875)"),
            ([2, 2, 2, 2, 2], [true, false, false, true, false], "five equal scores (expected 0.5)"),
            ([0.3, 0.8, 0.1, 0.9, 0.2], [false, true, false, true, false], "anomalies scoring above every normal image (expected 1)"),
            ([0.3, 0.8, 0.1, 0.9, 0.2], [true, false, true, false, false], "anomalies scoring below the normal images (expected 0)"),
            ([3, 1, 2, 2, 2, 0, 3, 1], [true, false, true, false, true, false, false, true], "[3, 1, 2, 2, 2, 0, 3, 1], anomalies [T, F, T, F, T, F, F, T] (expected 0.625)"),
        ]
        for (scores, flags, name) in lists {
            guard Self.expectArea(scores, flags, name) else { return }
        }
    }

    @Test("areaUnderCurve on fresh score lists — many ties (small integers) and distinct scores, 5 to 400 images, in any order — equals pair counting", .points(2))
    func freshAreas() {
        var g = GradingSeed.generator("Anomaly.freshAreas")
        for round in 0..<6 {
            let N = g.integer(in: 5...400)
            var flags = (0..<N).map { _ in g.nextInt(below: 3) == 0 }
            flags[g.nextInt(below: N)] = true
            flags[(flags.firstIndex(of: true)! + 1 + g.nextInt(below: N - 1)) % N] = false
            let levels = g.integer(in: 2...6)
            let scores: [Float] = round % 2 == 0 ? (0..<N).map { i in Float(g.nextInt(below: levels) + (flags[i] ? g.nextInt(below: 2) : 0)) }
                : (0..<N).map { i in g.float(0, 1) + (flags[i] ? g.float(0, 0.5) : 0) }
            guard Self.expectArea(scores, flags, "\(N) fresh \(round % 2 == 0 ? "integer scores in 0…\(levels) (many ties)" : "scores in [0, 1.5)"), \(flags.filter { $0 }.count) anomalies") else { return }
        }
    }

    /// Checks rocCurve on one list against the reference points.
    @discardableResult
    static func expectCurve(_ scores: [Float], _ isAnomaly: [Bool], _ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let got = rocCurve(scores: scores, isAnomaly: isAnomaly)
        let expected = ReferenceRanking.rocCurve(scores, isAnomaly)
        let thresholds = [Float.infinity] + Set(scores).sorted(by: >)
        func show(_ points: [(Double, Double)]) -> String { points.prefix(8).map { "(\(describe($0.0)), \(describe($0.1)))" }.joined(separator: ", ") + (points.count > 8 ? ", …" : "") }
        let gotPairs = got.map { ($0.falsePositiveRate, $0.truePositiveRate) }, expectedPairs = expected.map { ($0.falsePositiveRate, $0.truePositiveRate) }
        guard got.count == expected.count, zip(gotPairs, expectedPairs).allSatisfy({ abs($0.0 - $1.0) <= 1e-12 && abs($0.1 - $1.1) <= 1e-12 }) else {
            var message = "rocCurve of \(name): \(got.count) points \(show(gotPairs)); expected \(expected.count): \(show(expectedPairs)) — (0, 0), then one point per distinct score from the highest, flagging every score ≥ it"
            if got.count == scores.count + 1, expected.count < got.count { message += "\n  One point per image: tied scores cross the threshold together, so they make one point." }
            recordFailure(message, sourceLocation: sourceLocation)
            return false
        }
        guard zip(got.map(\.threshold), thresholds).allSatisfy({ $0 == $1 }) else {
            recordFailure("rocCurve of \(name): the thresholds are \(describe(got.map(\.threshold))); expected \(describe(thresholds)) (+∞, then every distinct score from the highest)", sourceLocation: sourceLocation)
            return false
        }
        return true
    }

    @Test("rocCurve: (0, 0), then one point per distinct score (tied scores move together), ending at (1, 1), on the lesson's example and fresh lists with ties", .points(2))
    func curves() {
        guard Self.expectCurve([0.9, 0.5, 0.5, 0.1], [true, true, false, false], "the lesson's example [0.9, 0.5, 0.5, 0.1], anomalies [T, T, F, F]") else { return }
        var g = GradingSeed.generator("Anomaly.curves")
        for _ in 0..<4 {
            let N = g.integer(in: 4...30)
            var flags = (0..<N).map { _ in g.nextInt(below: 2) == 0 }
            flags[0] = true
            flags[1 + g.nextInt(below: N - 1)] = false
            let scores = (0..<N).map { _ in Float(g.nextInt(below: 5)) / 4 }
            guard Self.expectCurve(scores, flags, "\(N) fresh scores in {0, ¼, ½, ¾, 1} with \(flags.filter { $0 }.count) anomalies") else { return }
        }
    }
}
