import Foundation
import NeuralKit

// Defect detection with an autoencoder trained on normal images only. Shapes: N images, D pixels.
//
//     score_n = (1/D) Σ_d (x̂[n, d] − x[n, d])²     x̂ = model(x): the reconstruction of the image GIVEN
//
// A normal image is rebuilt well, so its score is small; a defect (a scratch, a blot, a digit class
// never seen in training) is rebuilt as something normal, so the difference — and the score — grows.
// The score is always the squared error per pixel, whichever loss the model was trained with.
//
// Flagging "anomaly" when score ≥ t, for a threshold t, gives with P anomalies and Q normal images
//
//     true-positive rate  TPR(t) = #{anomalies with score ≥ t} / P
//     false-positive rate FPR(t) = #{normal images with score ≥ t} / Q
//
// The ROC curve runs through (FPR, TPR) for every threshold, from (0, 0) (t above every score) to
// (1, 1) (t at the lowest score). Tied scores cross the threshold together, so a tie between an
// anomaly and a normal image is a diagonal step. The area under it equals
//
//     AUC = P(s_a > s_n) + ½ P(s_a = s_n)      a random anomaly a, a random normal image n
//
// (the Mann–Whitney statistic / (P·Q)): 1 separates perfectly, ½ is guessing, ties count half.

/// One point of an ROC curve.
public struct ROCPoint: Sendable, Equatable {
    /// t: images with score ≥ t are flagged; +∞ for the first point (nothing flagged).
    public var threshold: Float
    /// FPR(t) in [0, 1]: the fraction of normal images flagged.
    public var falsePositiveRate: Double
    /// TPR(t) in [0, 1]: the fraction of anomalies flagged.
    public var truePositiveRate: Double

    public init(threshold: Float, falsePositiveRate: Double, truePositiveRate: Double) {
        self.threshold = threshold
        self.falsePositiveRate = falsePositiveRate
        self.truePositiveRate = truePositiveRate
    }
}

/// Every image's reconstruction error, the anomaly score.
/// - Parameters:
///   - model: a trained autoencoder.
///   - images: x, shape (N, D): the images to judge, as they are (with their defects).
/// - Returns: N scores, score_n = (1/D) Σ_d (x̂[n, d] − x[n, d])² with x̂ = model(x).
///   Example: x = [[1, 0]] reconstructed as [[0.5, 0]] → [0.125].
public func reconstructionScores(of model: Autoencoder, images: Tensor) -> [Float] {
    precondition(images.rank == 2, "reconstructionScores: images must be (N, D), got \(images.shapeDescription)")
    // TODO: the reconstruction `model(images)`, the squared difference from the images, and the mean
    // of each row (`mean(axis: 1)`), as an array (`.scalars`).
    return unimplemented([Float](repeating: 0, count: images.shape[0]))
}

/// The ROC curve of some scores (see the top of this file).
/// - Parameters:
///   - scores: N finite scores, higher meaning "more anomalous".
///   - isAnomaly: N flags, true for the anomalies; at least one true and one false.
/// - Returns: (0, 0) with threshold +∞, then one point per DISTINCT score t, from the highest to the
///   lowest, with every image scoring ≥ t flagged; the last point is (1, 1).
///   Example: scores [0.9, 0.5, 0.5, 0.1], isAnomaly [true, true, false, false] →
///   (FPR, TPR) = (0, 0), (0, 0.5) at t = 0.9, (0.5, 1) at t = 0.5, (1, 1) at t = 0.1.
public func rocCurve(scores: [Float], isAnomaly: [Bool]) -> [ROCPoint] {
    checkScores(scores, isAnomaly, "rocCurve")
    // TODO: P anomalies and Q normal images; the indices sorted by score, highest first; start at
    // ROCPoint(threshold: .infinity, falsePositiveRate: 0, truePositiveRate: 0); walk the sorted
    // images counting flagged anomalies and normals, and append a point only after the LAST image of
    // each group of equal scores (threshold = that score, FPR = normals / Q, TPR = anomalies / P).
    return unimplemented([ROCPoint(threshold: .infinity, falsePositiveRate: 0, truePositiveRate: 0), ROCPoint(threshold: 0, falsePositiveRate: 1, truePositiveRate: 1)])
}

/// The area under the ROC curve: AUC = P(s_a > s_n) + ½ P(s_a = s_n) over every pair of an
/// anomaly a and a normal image n.
/// - Parameters:
///   - scores: N finite scores.
///   - isAnomaly: N flags, at least one true and one false.
/// - Returns: AUC in [0, 1].
///   Example: scores [0.9, 0.5, 0.5, 0.1], isAnomaly [true, true, false, false]: the pairs
///   (0.9, 0.5) win, (0.9, 0.1) win, (0.5, 0.5) tie, (0.5, 0.1) win → (3 + ½) / 4 = 0.875.
public func areaUnderCurve(scores: [Float], isAnomaly: [Bool]) -> Double {
    checkScores(scores, isAnomaly, "areaUnderCurve")
    // TODO: count, over all P·Q pairs, 1 for every anomaly scoring above the normal image and ½ for
    // every tie; divide by P·Q. (Two loops are fine for a few thousand images; sorting once and
    // ranking is faster: the trapezoids under `rocCurve` give the same number.)
    return unimplemented(0.5)
}

private func checkScores(_ scores: [Float], _ isAnomaly: [Bool], _ function: String) {
    precondition(scores.count == isAnomaly.count, "\(function): \(scores.count) scores but \(isAnomaly.count) flags")
    precondition(isAnomaly.contains(true) && isAnomaly.contains(false), "\(function): needs at least one anomaly and one normal image")
    precondition(scores.allSatisfy { $0.isFinite }, "\(function): every score must be finite")
}

/// Images with a defect painted in (given): for each image in turn, a fair coin (`g.nextInt(below: 2)`)
/// chooses a scratch (0) or a blot (1), drawn in full brightness 1:
///
///     scratch: a segment of length 14–22 pixels through a centre in the middle half of the image,
///              at an angle in [0, π); every pixel within 1 pixel of it
///     blot:    a disc of radius 3–4.5 pixels around a centre in the middle half of the image
///
/// - Parameters:
///   - images: x, shape (N, S·S), square images with pixels in [0, 1] (S = 28 for MNIST).
///   - g: the generator of the defects' kinds, places and sizes.
/// - Returns: the damaged images, shape (N, S·S).
public func injectDefects(_ images: Tensor, using g: inout SeededGenerator) -> Tensor {
    let S = Int(Double(images.shape.last ?? 0).squareRoot())
    precondition(images.rank == 2 && S * S == images.shape[1] && S >= 16,
                 "injectDefects: images must be (N, S·S) with S ≥ 16, got \(images.shapeDescription)")
    var pixels = images.scalars
    let margin = Double(S) / 4
    for n in 0..<images.shape[0] {
        let blot = g.nextInt(below: 2) == 1
        let (cx, cy) = (g.uniform(margin, Double(S) - margin), g.uniform(margin, Double(S) - margin))
        // Distance from pixel (r, c) to the defect's shape, and the width of the painted band.
        let distance: (Double, Double) -> Double
        let reach: Double
        if blot {
            reach = g.uniform(3, 4.5)
            distance = { r, c in ((r - cy) * (r - cy) + (c - cx) * (c - cx)).squareRoot() }
        } else {
            let (angle, half) = (g.uniform(0, Double.pi), g.uniform(7, 11))
            let (dx, dy) = (cos(angle), sin(angle))
            reach = 1
            distance = { r, c in
                let along = Swift.min(Swift.max((c - cx) * dx + (r - cy) * dy, -half), half)
                let (px, py) = (cx + along * dx, cy + along * dy)
                return ((r - py) * (r - py) + (c - px) * (c - px)).squareRoot()
            }
        }
        for r in 0..<S {
            for c in 0..<S where distance(Double(r), Double(c)) <= reach {
                pixels[n * S * S + r * S + c] = 1
            }
        }
    }
    return Tensor(shape: images.shape, scalars: pixels)
}
