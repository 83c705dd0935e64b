import CourseGrading
import Foundation
import NeuralKit

// The graders' own max pooling, in plain loops: window maxima, and the backward pass under the
// lesson's tie rule or a usual slip (for diagnoses). Shapes: x (N, C, H, W), windows size × size
// every `stride` pixels, no padding, output (N, C, H′, W′) with H′ = 1 + (H − size) / stride.

/// Which entries of a pooling window get the gradient when several hold its maximum.
enum TieRule: CaseIterable {
    /// The first maximum in row-major window order gets all of it: the lesson's rule.
    case first
    /// The last maximum gets all of it.
    case last
    /// Every maximum gets all of it.
    case everyMaximum
    /// The maxima share it equally.
    case shared
    /// Every entry of the window gets an equal share (average pooling's gradient).
    case windowMean
    /// Every entry of the window gets all of it.
    case wholeWindow

    var description: String {
        switch self {
        case .first: "the first maximum (row-major order in the window) gets the whole gradient"
        case .last: "the LAST maximum in the window gets the gradient; the lesson's rule gives it to the first (compare with `>`, not `>=`, while scanning)"
        case .everyMaximum: "every entry equal to the window's maximum gets the whole gradient; only one may (the first in row-major order), otherwise a tie counts the gradient twice"
        case .shared: "the tied maxima share the gradient; the lesson's rule gives all of it to the first maximum"
        case .windowMean: "the gradient is spread evenly over the window, as for average pooling; max pooling sends it to the arg-max only"
        case .wholeWindow: "every entry of the window gets the whole gradient; max pooling sends it to the arg-max only"
        }
    }
}

extension Reference {
    /// The flat positions in x (N, C, H, W) of one pooling window, in row-major window order.
    static func window(n: Int, c: Int, i: Int, j: Int, shape: [Int], size: Int, stride: Int) -> [Int] {
        let (C, H, W) = (shape[1], shape[2], shape[3])
        var positions: [Int] = []
        for u in 0..<size {
            for v in 0..<size {
                positions.append(((n * C + c) * H + i * stride + u) * W + j * stride + v)
            }
        }
        return positions
    }

    /// Max pooling of x (N, C, H, W) with `size` × `size` windows every `stride` pixels:
    /// (N, C, H′, W′) with H′ = 1 + (H − size) / stride.
    static func maxPool(_ x: Tensor, size: Int, stride: Int) -> Figure {
        let (N, C, H, W) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (Ho, Wo) = (outputSize(H, kernel: size, stride: stride, padding: 0), outputSize(W, kernel: size, stride: stride, padding: 0))
        var values: [Double] = []
        for n in 0..<N { for c in 0..<C { for i in 0..<Ho { for j in 0..<Wo {
            values.append(window(n: n, c: c, i: i, j: j, shape: x.shape, size: size, stride: stride).map { Double(x.scalars[$0]) }.max()!)
        } } } }
        return Figure(values: values, magnitude: values.map(abs), shape: [N, C, Ho, Wo])
    }

    /// Max pooling's backward pass: dy (N, C, H′, W′) sent to the window entries `rule` names,
    /// added up where windows overlap. Shape (N, C, H, W).
    static func maxPoolBackward(_ x: Tensor, _ dy: Tensor, size: Int, stride: Int, rule: TieRule = .first) -> Figure {
        let (N, C, Ho, Wo) = (dy.shape[0], dy.shape[1], dy.shape[2], dy.shape[3])
        var dx = Figure(zeros: x.shape)
        var out = 0
        for n in 0..<N { for c in 0..<C { for i in 0..<Ho { for j in 0..<Wo {
            let positions = window(n: n, c: c, i: i, j: j, shape: x.shape, size: size, stride: stride)
            let top = positions.map { x.scalars[$0] }.max()!
            let maxima = positions.filter { x.scalars[$0] == top }
            let g = Double(dy.scalars[out])
            out += 1
            switch rule {
            case .first: dx.add(maxima.first!, g)
            case .last: dx.add(maxima.last!, g)
            case .everyMaximum: for p in maxima { dx.add(p, g) }
            case .shared: for p in maxima { dx.add(p, g / Double(maxima.count)) }
            case .windowMean: for p in positions { dx.add(p, g / Double(positions.count)) }
            case .wholeWindow: for p in positions { dx.add(p, g) }
            }
        } } } }
        return dx
    }
}
