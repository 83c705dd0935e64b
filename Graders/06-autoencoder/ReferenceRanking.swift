import Foundation

// The graders' own ranking and classification arithmetic, in Double and by definition (pair
// counting, every distinct threshold, every class mean): independent of the student's algorithms.
// Shapes: P anomalies, Q normal examples; N codes (N, K), C classes.
//
//     AUC = (1/(P·Q)) Σ_{a anomalous} Σ_{b normal} ( [s_a > s_b] + ½ [s_a = s_b] )      (Mann–Whitney U / PQ)
//     ROC: for each distinct score t from the highest down, flag every example with s ≥ t;
//          (false-positive rate, true-positive rate) = (flagged normal / Q, flagged anomalies / P),
//          after the point (0, 0); the last point is (1, 1).

enum ReferenceRanking {
    /// The AUC by counting pairs (ties count ½). Needs P, Q ≥ 1.
    static func areaUnderCurve(_ scores: [Float], _ isAnomaly: [Bool]) -> Double {
        let anomalies = zip(scores, isAnomaly).filter(\.1).map(\.0)
        let normal = zip(scores, isAnomaly).filter { !$0.1 }.map(\.0)
        var wins = 0.0
        for a in anomalies {
            for b in normal { wins += a > b ? 1 : (a == b ? 0.5 : 0) }
        }
        return wins / Double(anomalies.count * normal.count)
    }

    /// The AUC with ties counted as wins (a slip the graders can name).
    static func areaUnderCurveTiesAsWins(_ scores: [Float], _ isAnomaly: [Bool]) -> Double {
        let anomalies = zip(scores, isAnomaly).filter(\.1).map(\.0)
        let normal = zip(scores, isAnomaly).filter { !$0.1 }.map(\.0)
        let wins = anomalies.reduce(0) { total, a in total + normal.filter { a >= $0 }.count }
        return Double(wins) / Double(anomalies.count * normal.count)
    }

    /// The ROC points (see the top of the file): (0, 0), then one point per distinct score.
    static func rocCurve(_ scores: [Float], _ isAnomaly: [Bool]) -> [(falsePositiveRate: Double, truePositiveRate: Double)] {
        let P = Double(isAnomaly.filter { $0 }.count), Q = Double(isAnomaly.filter { !$0 }.count)
        var points = [(falsePositiveRate: 0.0, truePositiveRate: 0.0)]
        for t in Set(scores).sorted(by: >) {
            let flagged = zip(scores, isAnomaly).filter { $0.0 >= t }
            let tp = Double(flagged.filter(\.1).count), fp = Double(flagged.filter { !$0.1 }.count)
            points.append((fp / Q, tp / P))
        }
        return points
    }

    /// The mean code of every class, (C, K) row-major; a class without codes gets NaN.
    static func centroids(_ codes: [[Double]], _ labels: [Int], classes C: Int) -> [[Double]] {
        let K = codes.first?.count ?? 0
        var sums = [[Double]](repeating: .init(repeating: 0, count: K), count: C), counts = [Int](repeating: 0, count: C)
        for (code, label) in zip(codes, labels) {
            counts[label] += 1
            for k in 0..<K { sums[label][k] += code[k] }
        }
        return (0..<C).map { c in sums[c].map { $0 / Double(counts[c]) } }
    }

    /// The squared Euclidean distance of `code` to every centroid.
    static func squaredDistances(_ code: [Double], _ centroids: [[Double]]) -> [Double] {
        centroids.map { m in zip(code, m).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } }
    }

    /// The class of the nearest centroid (ties → the lowest class).
    static func nearest(_ code: [Double], _ centroids: [[Double]]) -> Int {
        let d = squaredDistances(code, centroids)
        return d.indices.min { d[$0] < d[$1] || (d[$0] == d[$1] && $0 < $1) }!
    }
}
