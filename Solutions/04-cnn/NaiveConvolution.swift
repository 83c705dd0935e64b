import NeuralKit

// A 2-D convolution layer's output, straight from the definition. Shapes: N images of C channels,
// H × W pixels; F filters of C × KH × KW weights; output H′ × W′ (see ConvolutionGeometry).
//
//     y[n, f, i, j] = b[f] + Σ_c Σ_u Σ_v  x_pad[n, c, i·S + u, j·S + v] · w[f, c, u, v]
//
// x_pad is x with P rings of zeros: x_pad[n, c, r, s] = x[n, c, r − P, s − P] inside, 0 outside.
// This is cross-correlation (the kernel is not flipped), as in every deep-learning library; the
// learned weights absorb the flip, so nothing is lost.

/// Convolves a batch of images with a bank of filters, one output value at a time.
/// - Parameters:
///   - x: images, shape (N, C, H, W).
///   - weight: w, shape (F, C, KH, KW).
///   - bias: b, shape (F): one number per filter, added at every position.
///   - stride: S ≥ 1.
///   - padding: P ≥ 0.
/// - Returns: y, shape (N, F, H′, W′).
///   Example: x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]] (N = C = 1), w = [[1, 0], [0, −1]], b = 10,
///   S = 1, P = 0 → [[10 + 1 − 5, 10 + 2 − 6], [10 + 4 − 8, 10 + 5 − 9]] = [[6, 6], [6, 6]].
public func convolveNaive(_ x: Tensor, weight: Tensor, bias: Tensor, stride: Int, padding: Int) -> Tensor {
    precondition(x.rank == 4 && weight.rank == 4 && x.shape[1] == weight.shape[1],
                 "convolveNaive: x must be (N, C, H, W) and weight (F, C, KH, KW) with the same C, got \(x.shapeDescription) and \(weight.shapeDescription)")
    precondition(bias.shape == [weight.shape[0]],
                 "convolveNaive: the bias must have one entry per filter, (\(weight.shape[0])), got \(bias.shapeDescription)")
    let (N, C, H, W) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (F, KH, KW) = (weight.shape[0], weight.shape[2], weight.shape[3])
    let geometry = ConvolutionGeometry(kernelHeight: KH, kernelWidth: KW, stride: stride, padding: padding)
    let (Ho, Wo) = geometry.outputSize(height: H, width: W)
    // TODO: six nested loops, n, f, i, j outside and c, u, v inside. The input row is
    // r = i·S + u − P and the column s = j·S + v − P; skip (count as 0) positions outside
    // 0..<H × 0..<W. Read x[n, c, r, s] at `xs[((n * C + c) * H + r) * W + s]` (and w alike), fill
    // `ys` in (n, f, i, j) order and return `Tensor(shape: [N, F, Ho, Wo], scalars: ys)`.
    // BEGIN SOLUTION
    let (xs, ws, bs) = (x.scalars, weight.scalars, bias.scalars)
    var ys = [Float](repeating: 0, count: N * F * Ho * Wo)
    for n in 0..<N {
        for f in 0..<F {
            for i in 0..<Ho {
                for j in 0..<Wo {
                    var total = bs[f]
                    for c in 0..<C {
                        for u in 0..<KH {
                            let r = i * stride + u - padding
                            if r < 0 || r >= H { continue }
                            for v in 0..<KW {
                                let s = j * stride + v - padding
                                if s < 0 || s >= W { continue }
                                total += xs[((n * C + c) * H + r) * W + s] * ws[((f * C + c) * KH + u) * KW + v]
                            }
                        }
                    }
                    ys[((n * F + f) * Ho + i) * Wo + j] = total
                }
            }
        }
    }
    return Tensor(shape: [N, F, Ho, Wo], scalars: ys)
    // END SOLUTION
    // STUB: return unimplemented(Tensor.zeros(shape: [N, F, Ho, Wo]))
}
