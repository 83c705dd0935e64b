import ConvolutionalNetwork
import CourseGrading
import NeuralKit
import Testing

/// ConvolutionGeometry.outputSize: the lesson's examples, then fresh non-square kernels, strides
/// and paddings, many of whose strides do not divide H + 2P − KH (rounding shows).
@Suite struct ConvolutionGeometryGrader {
    /// Formulas students write instead of 1 + ⌊(H + 2P − K) / S⌋, named when every case matches one.
    static var slips: [(String, (Int, Int, Int, Int) -> Int)] { [
        ("the `1 +` is missing: H′ = 1 + (H + 2P − KH) / S counts the first position too", { H, K, S, P in (H + 2 * P - K) / S }),
        ("the padding is left out: the padded image has H + 2P rows", { H, K, S, P in 1 + (H - K) / S }),
        ("the padding counts once: it is added on both sides, H + 2P", { H, K, S, P in 1 + (H + P - K) / S }),
        ("the stride is left out: the kernel moves S pixels at a time, so divide by S", { H, K, S, P in 1 + (H + 2 * P - K) }),
        ("the division rounds up: a position counts only when the whole kernel fits, so round down (Int division)", { H, K, S, P in 1 + (H + 2 * P - K + S - 1) / S }),
        ("the whole 1 + H + 2P − KH is divided by S", { H, K, S, P in (1 + H + 2 * P - K) / S }),
    ] }

    @Test("outputSize gives the lesson's examples: 28 × 28 with a 3 × 3 kernel → 26 × 26; stride 2, padding 1 → 14 × 14", .points(1))
    func lessonExamples() {
        let valid = ConvolutionGeometry(kernelSize: 3).outputSize(height: 28, width: 28)
        if valid != (26, 26) { recordFailure("outputSize(height: 28, width: 28) for a 3 × 3 kernel, stride 1, no padding is \(valid), expected (26, 26)") }
        let strided = ConvolutionGeometry(kernelSize: 3, stride: 2, padding: 1).outputSize(height: 28, width: 28)
        if strided != (14, 14) { recordFailure("outputSize(height: 28, width: 28) for a 3 × 3 kernel, stride 2, padding 1 is \(strided), expected 1 + (28 + 2 − 3) / 2 = (14, 14)") }
    }

    @Test("outputSize is 1 + (H + 2P − KH) / S rounded down (W′ likewise) for fresh non-square kernels, strides and paddings", .points(2))
    func freshGeometries() {
        var g = GradingSeed.generator("Geometry.fresh")
        var cases: [(H: Int, W: Int, KH: Int, KW: Int, S: Int, P: Int)] = []
        while cases.count < 14 {
            let (KH, KW, S, P) = (g.integer(in: 1...5), g.integer(in: 1...5), g.integer(in: 1...4), g.integer(in: 0...3))
            let (H, W) = (g.integer(in: max(1, KH - 2 * P)...(KH + 12)), g.integer(in: max(1, KW - 2 * P)...(KW + 12)))
            // Non-square in every case, and strides that leave a remainder in most.
            guard H != W || KH != KW else { continue }
            cases.append((H, W, KH, KW, S, P))
        }
        var got: [(Int, Int)] = []
        for c in cases {
            let size = ConvolutionGeometry(kernelHeight: c.KH, kernelWidth: c.KW, stride: c.S, padding: c.P).outputSize(height: c.H, width: c.W)
            got.append((size.height, size.width))
        }
        let expected = cases.map { (Reference.outputSize($0.H, kernel: $0.KH, stride: $0.S, padding: $0.P), Reference.outputSize($0.W, kernel: $0.KW, stride: $0.S, padding: $0.P)) }
        guard let wrong = cases.indices.first(where: { got[$0] != expected[$0] }) else { return }
        let c = cases[wrong]
        var message = "outputSize(height: \(c.H), width: \(c.W)) for a \(c.KH) × \(c.KW) kernel (KH × KW), stride \(c.S), padding \(c.P) is \(got[wrong]); "
            + "expected (1 + (\(c.H) + 2·\(c.P) − \(c.KH)) / \(c.S), 1 + (\(c.W) + 2·\(c.P) − \(c.KW)) / \(c.S)) = \(expected[wrong])"
        let count = cases.indices.filter { got[$0] != expected[$0] }.count
        message += " (\(count) of \(cases.count) fresh geometries are wrong)"
        if cases.indices.allSatisfy({ got[$0] == (expected[$0].1, expected[$0].0) }) {
            message += "\n  Every answer is (W′, H′): height and width are swapped."
        } else if let slip = Self.slips.first(where: { _, f in
            cases.indices.allSatisfy { got[$0] == (f(cases[$0].H, cases[$0].KH, cases[$0].S, cases[$0].P), f(cases[$0].W, cases[$0].KW, cases[$0].S, cases[$0].P)) }
        }) {
            message += "\n  Every answer fits a formula in which " + slip.0 + "."
        }
        recordFailure(message)
    }
}
