import AdversarialNetworks
import CourseGrading
import Foundation
import NeuralKit
import Testing

/// modeCoverage on points the grader places by hand around the ring's centres (computed here,
/// c_k = R·(cos 2πk/K, sin 2πk/K)): points just inside and just outside 3σ, modes with exactly 1 %
/// of the points (covered) and with one point fewer (not), points far from every mode.
@Suite struct RingGrader {
    /// The grader's count: for each mode, the points within 3σ of its centre (Double arithmetic).
    static func counts(_ samples: Tensor, modes K: Int, radius R: Double, deviation σ: Double) -> [Int] {
        var counts = [Int](repeating: 0, count: K)
        for n in 0..<samples.shape[0] {
            let (x, y) = (Double(samples[n, 0]), Double(samples[n, 1]))
            for k in 0..<K {
                let angle = 2 * Double.pi * Double(k) / Double(K)
                let (dx, dy) = (x - R * Foundation.cos(angle), y - R * Foundation.sin(angle))
                if (dx * dx + dy * dy).squareRoot() <= 3 * σ { counts[k] += 1 }
            }
        }
        return counts
    }

    /// A hand-made sample: for each mode a number of points within 3σ (some of them at 2.97σ), a
    /// few at 3.03σ–6σ of a centre, a few far from all (between the modes, or at the origin).
    struct Sample: CustomStringConvertible {
        var K: Int, R: Double, σ: Double
        var points: Tensor
        /// What the sample was built to give.
        var near: [Int], outside: Int

        /// - Parameter hundreds: N a multiple of 100 (a mode then holds exactly 1 % of the points).
        init(_ purpose: String, hundreds: Bool) {
            var g = GradingSeed.generator(purpose)
            let (K, R, σ) = (g.integer(in: 3...9), Double(g.float(1, 3)), Double(g.float(0.01, 0.05)))
            (self.K, self.R, self.σ) = (K, R, σ)
            let N = hundreds ? 100 * g.integer(in: 1...3) : [150, 250, 350][g.nextInt(below: 3)]
            let threshold = (N + 99) / 100   // the fewest points covering a mode: 100·count ≥ N
            var rows: [[Float]] = []
            var near = (0..<K).map { _ in [0, threshold - 1, threshold, threshold + 1, 3 * threshold][g.nextInt(below: 5)] }
            let boundary = g.nextInt(below: K)
            near[boundary] = threshold                      // exactly the boundary: covered
            near[(boundary + 1) % K] = threshold - 1        // one fewer: not covered
            func point(mode k: Int, distance: Double, _ g: inout SeededGenerator) -> [Float] {
                let (angle, direction) = (2 * Double.pi * Double(k) / Double(K), Double(g.float(0, 2 * .pi)))
                return [Float(R * Foundation.cos(angle) + distance * Foundation.cos(direction)), Float(R * Foundation.sin(angle) + distance * Foundation.sin(direction))]
            }
            for k in 0..<K {
                for j in 0..<near[k] { rows.append(point(mode: k, distance: σ * (j == 0 ? 2.97 : Double(g.float(0, 2.9))), &g)) }
            }
            let outside = N - near.reduce(0, +)
            precondition(outside >= 2)
            (self.near, self.outside) = (near, outside)
            for j in 0..<outside {
                switch j % 3 {
                case 0: rows.append(point(mode: g.nextInt(below: K), distance: σ * Double(g.float(3.03, 6)), &g))
                case 1: rows.append([Float(R * Double(g.float(0.3, 0.7))), 0])   // between the centre and mode 0
                default: rows.append(point(mode: g.nextInt(below: K), distance: σ * 3.03, &g))
                }
            }
            let order = g.permutation(rows.count)
            points = Tensor(order.map { rows[$0] })
        }

        var description: String {
            "\(points.shape[0]) points, K = \(K) modes, R = \(String(format: "%.4g", R)), σ = \(String(format: "%.4g", σ))"
        }
    }

    @Test("modeCoverage gives the lesson's example: K = 4, R = 1, σ = 0.1 → counts [2, 0, 0, 1], 2 modes covered, fraction 0.75", .points(1))
    func lessonExample() {
        let got = modeCoverage(samples: [[1, 0], [0.95, 0.05], [0, -1], [0.5, 0.5]], modes: 4, radius: 1, deviation: 0.1)
        guard got.pointsPerMode == [2, 0, 0, 1] else {
            recordFailure("pointsPerMode for (1, 0), (0.95, 0.05), (0, −1), (0.5, 0.5) on K = 4, R = 1, σ = 0.1 is \(got.pointsPerMode), expected [2, 0, 0, 1] (centres (1, 0), (0, 1), (−1, 0), (0, −1); near means within 3σ = 0.3)")
            return
        }
        guard got.modesCovered == 2 else { recordFailure("modesCovered is \(got.modesCovered), expected 2"); return }
        expectClose(got.fractionNearAMode, 0.75, "fractionNearAMode")
    }

    @Test("modeCoverage counts points within 3σ of each centre, covers a mode from exactly 1 % of the points and reports the share near a mode, on fresh hand-made samples", .points(3))
    func freshSamples() {
        for (purpose, hundreds) in [("Ring.coverage.1", true), ("Ring.coverage.2", false), ("Ring.coverage.3", true)] {
            let s = Sample(purpose, hundreds: hundreds)
            let N = s.points.shape[0]
            let expected = Self.counts(s.points, modes: s.K, radius: s.R, deviation: s.σ)
            precondition(expected == s.near, "the grader's hand-made sample is not what it meant")
            let got = modeCoverage(samples: s.points, modes: s.K, radius: Float(s.R), deviation: Float(s.σ))
            guard got.pointsPerMode == expected else {
                var note = ""
                let wide = Self.counts(s.points, modes: s.K, radius: s.R, deviation: s.σ * 3.05 / 3)
                if got.pointsPerMode == wide { note = " The points at 3.03σ are counted: near means within 3σ." }
                recordFailure("pointsPerMode for \(s) is \(got.pointsPerMode), expected \(expected) (points within 3σ = \(String(format: "%.4g", 3 * s.σ)) of each centre, centre k at angle 2πk/K).\(note)")
                return
            }
            let covered = expected.filter { 100 * $0 >= N }.count
            guard got.modesCovered == covered else {
                let strict = expected.filter { 100 * $0 > N }.count
                let note = got.modesCovered == strict ? " A mode with exactly 1 % of the points (\(N / 100) of \(N)) is covered: at least 1 %." : ""
                recordFailure("modesCovered for \(s) with points per mode \(expected) is \(got.modesCovered), expected \(covered) (modes with at least 1 % of the \(N) points).\(note)")
                return
            }
            guard expectClose(got.fractionNearAMode, Double(expected.reduce(0, +)) / Double(N), "fractionNearAMode for \(s) (points near a mode / N)") else { return }
        }
    }
}
