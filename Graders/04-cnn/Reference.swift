import CourseGrading
import Foundation
import NeuralKit

// The graders' own arithmetic for convolutions (pooling: ReferencePooling.swift), in Double precision and plain loops:
// independent of the student's code and of NeuralKit's Float tensor operations. Layout as in the
// lesson, channels first. Shape letters: N images, C channels, H × W pixels, F filters,
// KH × KW kernel, S stride, P zero padding, H′ × W′ output positions.
//
//     H′ = 1 + (H + 2P − KH) / S   (rounded down; W′ likewise)
//     y[n, f, i, j] = b[f] + Σ_c Σ_u Σ_v x_pad[n, c, i·S + u, j·S + v] · w[f, c, u, v]

// Results are `Figure`s (CourseGrading): values with the size of the terms each adds up.

/// The sizes of one convolution: what the graders draw and the reference takes.
struct ConvolutionCase: CustomStringConvertible {
    var N, C, H, W, F, KH, KW, S, P: Int

    var outputHeight: Int { Reference.outputSize(H, kernel: KH, stride: S, padding: P) }
    var outputWidth: Int { Reference.outputSize(W, kernel: KW, stride: S, padding: P) }
    var inputShape: [Int] { [N, C, H, W] }
    var weightShape: [Int] { [F, C, KH, KW] }
    var outputShape: [Int] { [N, F, outputHeight, outputWidth] }
    /// The shape of im2col's result: (N·H′·W′, C·KH·KW).
    var columnsShape: [Int] { [N * outputHeight * outputWidth, C * KH * KW] }

    var description: String {
        "x (N, C, H, W) = (\(N), \(C), \(H), \(W)), w (F, C, KH, KW) = (\(F), \(C), \(KH), \(KW)), stride \(S), padding \(P)"
    }
}

/// The orders in which im2col can lay out its rows and columns: the lesson's, and the usual slips
/// (only named when a student's result is exactly one of them).
enum ColumnLayout: CaseIterable {
    /// Rows (n, i, j), columns (c, u, v): the lesson's.
    case lesson
    /// Columns (u, v, c): channels last within a patch.
    case channelsLast
    /// Columns (c, v, u): the kernel's axes swapped.
    case kernelTransposed
    /// Rows (i, j, n): the image index varying fastest.
    case imagesInnermost

    var description: String {
        switch self {
        case .lesson: "rows (n, i, j), columns (c, u, v)"
        case .channelsLast: "columns in the order (u, v, c): the channel should vary slowest, column = (c·KH + u)·KW + v"
        case .kernelTransposed: "columns in the order (c, v, u): within a channel the kernel row u comes first, column = (c·KH + u)·KW + v"
        case .imagesInnermost: "rows in the order (i, j, n): the image should vary slowest, row = (n·H′ + i)·W′ + j"
        }
    }
}

enum Reference {
    /// 1 + (size + 2P − K) / S, rounded down.
    static func outputSize(_ size: Int, kernel K: Int, stride S: Int, padding P: Int) -> Int {
        1 + (size + 2 * P - K) / S
    }

    /// Calls `body(outputIndex, inputIndex, weightIndex)` for every term of the convolution that
    /// falls inside the image (terms in the zero padding add nothing). Indices are row-major
    /// positions in y (N, F, H′, W′), x (N, C, H, W) and w (F, C, KH, KW).
    static func forEachTerm(_ k: ConvolutionCase, _ body: (Int, Int, Int) -> Void) {
        let (Ho, Wo) = (k.outputHeight, k.outputWidth)
        for n in 0..<k.N {
            for f in 0..<k.F {
                for i in 0..<Ho {
                    for j in 0..<Wo {
                        let out = ((n * k.F + f) * Ho + i) * Wo + j
                        for c in 0..<k.C {
                            for u in 0..<k.KH {
                                let row = i * k.S + u - k.P
                                guard row >= 0, row < k.H else { continue }
                                for v in 0..<k.KW {
                                    let column = j * k.S + v - k.P
                                    guard column >= 0, column < k.W else { continue }
                                    body(out, ((n * k.C + c) * k.H + row) * k.W + column, ((f * k.C + c) * k.KH + u) * k.KW + v)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// y = cross-correlation of x with w, plus b[f] (see the top of the file).
    /// - Parameters:
    ///   - x: (N, C, H, W); w: (F, C, KH, KW); b: (F).
    ///   - flipped: the kernel turned by 180° (true convolution), for diagnoses.
    ///   - bias: false to leave b out, for diagnoses.
    static func convolve(_ k: ConvolutionCase, _ x: Tensor, _ w: Tensor, _ b: Tensor,
                         flipped: Bool = false, bias: Bool = true) -> Figure {
        var y = Figure(zeros: k.outputShape)
        let (xs, ws) = (x.scalars.map(Double.init), w.scalars.map(Double.init))
        let positions = k.outputHeight * k.outputWidth
        if bias {
            for out in y.values.indices { y.add(out, Double(b.scalars[(out / positions) % k.F])) }
        }
        forEachTerm(k) { out, input, weight in
            var wk = weight
            if flipped {
                // (f, c, u, v) → (f, c, KH − 1 − u, KW − 1 − v)
                let v = weight % k.KW, u = (weight / k.KW) % k.KH
                wk = weight - u * k.KW - v + (k.KH - 1 - u) * k.KW + (k.KW - 1 - v)
            }
            y.add(out, xs[input] * ws[wk])
        }
        return y
    }

    /// The gradients of the convolution given dy = ∂L/∂y (N, F, H′, W′):
    /// ∂L/∂x[n, c, r, s] = Σ dy[n, f, i, j]·w[f, c, u, v] over the terms where x takes part,
    /// ∂L/∂w[f, c, u, v] = Σ_n Σ_i Σ_j dy[n, f, i, j]·x_pad[n, c, i·S + u, j·S + v],
    /// ∂L/∂b[f] = Σ_n Σ_i Σ_j dy[n, f, i, j].
    static func convolveBackward(_ k: ConvolutionCase, _ x: Tensor, _ w: Tensor, _ dy: Tensor)
        -> (input: Figure, weight: Figure, bias: Figure) {
        var dx = Figure(zeros: k.inputShape), dw = Figure(zeros: k.weightShape), db = Figure(zeros: [k.F])
        let (xs, ws, gs) = (x.scalars.map(Double.init), w.scalars.map(Double.init), dy.scalars.map(Double.init))
        let positions = k.outputHeight * k.outputWidth
        for out in gs.indices { db.add((out / positions) % k.F, gs[out]) }
        forEachTerm(k) { out, input, weight in
            dx.add(input, gs[out] * ws[weight])
            dw.add(weight, gs[out] * xs[input])
        }
        return (dx, dw, db)
    }

    /// The patches of x as rows: shape (N·H′·W′, C·KH·KW), zeros where a patch covers padding.
    /// Exact (every entry is a copy of an input or 0). `layout` gives the lesson's order or a slip.
    static func im2col(_ k: ConvolutionCase, _ x: Tensor, layout: ColumnLayout = .lesson) -> [Double] {
        let (Ho, Wo) = (k.outputHeight, k.outputWidth)
        let (rows, columns) = (k.N * Ho * Wo, k.C * k.KH * k.KW)
        var result = [Double](repeating: 0, count: rows * columns)
        for n in 0..<k.N {
            for i in 0..<Ho {
                for j in 0..<Wo {
                    let row = layout == .imagesInnermost ? (i * Wo + j) * k.N + n : (n * Ho + i) * Wo + j
                    for c in 0..<k.C {
                        for u in 0..<k.KH {
                            for v in 0..<k.KW {
                                let column = switch layout {
                                case .channelsLast: (u * k.KW + v) * k.C + c
                                case .kernelTransposed: (c * k.KW + v) * k.KH + u
                                case .lesson, .imagesInnermost: (c * k.KH + u) * k.KW + v
                                }
                                let (r, s) = (i * k.S + u - k.P, j * k.S + v - k.P)
                                guard r >= 0, r < k.H, s >= 0, s < k.W else { continue }
                                result[row * columns + column] = Double(x.scalars[((n * k.C + c) * k.H + r) * k.W + s])
                            }
                        }
                    }
                }
            }
        }
        return result
    }

    /// col2im: every entry of `columns` (N·H′·W′, C·KH·KW) added to the pixel it was copied from
    /// (overlapping patches add up; entries in the padding are dropped). Shape (N, C, H, W).
    static func col2im(_ k: ConvolutionCase, _ columns: Tensor) -> Figure {
        var x = Figure(zeros: k.inputShape)
        let (Ho, Wo) = (k.outputHeight, k.outputWidth)
        let width = k.C * k.KH * k.KW
        for n in 0..<k.N {
            for i in 0..<Ho {
                for j in 0..<Wo {
                    let row = (n * Ho + i) * Wo + j
                    for c in 0..<k.C {
                        for u in 0..<k.KH {
                            for v in 0..<k.KW {
                                let (r, s) = (i * k.S + u - k.P, j * k.S + v - k.P)
                                guard r >= 0, r < k.H, s >= 0, s < k.W else { continue }
                                x.add(((n * k.C + c) * k.H + r) * k.W + s, Double(columns.scalars[row * width + (c * k.KH + u) * k.KW + v]))
                            }
                        }
                    }
                }
            }
        }
        return x
    }
}
