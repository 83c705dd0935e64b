import NeuralKit

// Convolution as one matrix product, the way fast libraries compute it. Shapes: N images of C
// channels, H × W; kernel KH × KW, stride S, padding P; output H′ × W′; K = C·KH·KW.
//
// im2col copies every patch the kernel sees into one row of a matrix:
//
//     columns[(n·H′ + i)·W′ + j,  (c·KH + u)·KW + v] = x_pad[n, c, i·S + u, j·S + v]
//
// rows in (n, i, j) order, one per output position, (N·H′·W′) of them; columns in (c, u, v)
// order, K of them — the same order as a filter w[f] flattened, so y = columns · W_matᵀ with
// W_mat = w reshaped to (F, K). A pixel lies in up to ⌈KH/S⌉·⌈KW/S⌉ patches, so it is copied that
// many times: memory traded for one large, fast matrix product.
//
// col2im goes back: each entry of a (N·H′·W′, K) matrix is ADDED to the pixel it was copied from,
// so a pixel collects the sum over all the patches it was in; entries that came from the padding
// are dropped. col2im(∂L/∂columns) is therefore ∂L/∂x.
//
// Both loop over raw storage (`withUnsafeBufferPointer`), since these copies run once per batch on
// millions of numbers.

/// The patches of a batch of images as the rows of a matrix.
/// - Parameters:
///   - x: images, shape (N, C, H, W).
///   - kernelHeight: KH ≥ 1.
///   - kernelWidth: KW ≥ 1.
///   - stride: S ≥ 1.
///   - padding: P ≥ 0 (the zeros appear in the patches).
/// - Returns: columns, shape (N·H′·W′, C·KH·KW).
///   Example: x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]] (N = C = 1), 2 × 2, S = 1, P = 0 →
///   [[1, 2, 4, 5], [2, 3, 5, 6], [4, 5, 7, 8], [5, 6, 8, 9]].
public func im2col(_ x: Tensor, kernelHeight KH: Int, kernelWidth KW: Int, stride S: Int, padding P: Int) -> Tensor {
    precondition(x.rank == 4, "im2col: x must be (N, C, H, W), got \(x.shapeDescription)")
    let (N, C, H, W) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let (Ho, Wo) = ConvolutionGeometry(kernelHeight: KH, kernelWidth: KW, stride: S, padding: P)
        .outputSize(height: H, width: W)
    let K = C * KH * KW
    // TODO: `var columns = [Float](repeating: 0, count: N * Ho * Wo * K)` and loops over n, i, j
    // (the row (n·H′ + i)·W′ + j) and c, u, v (the column (c·KH + u)·KW + v), copying
    // x[n, c, i·S + u − P, j·S + v − P] where that pixel exists (zeros stay elsewhere). Then
    // `Tensor(shape: [N * Ho * Wo, K], scalars: columns)`. `x.scalars.withUnsafeBufferPointer { xs in … }`
    // and `columns.withUnsafeMutableBufferPointer { out in … }` make the loops fast.
    return unimplemented(Tensor.zeros(N * Ho * Wo, K))
}

/// The inverse walk of `im2col`: adds each entry back onto the pixel it was copied from.
/// - Parameters:
///   - columns: shape (N·H′·W′, C·KH·KW), e.g. ∂L/∂columns.
///   - inputShape: (N, C, H, W), the images' shape.
///   - kernelHeight: KH ≥ 1.
///   - kernelWidth: KW ≥ 1.
///   - stride: S ≥ 1.
///   - padding: P ≥ 0 (entries that fall on the padding are dropped).
/// - Returns: shape (N, C, H, W); each pixel holds the sum of its copies.
///   Example: ones (4, 4) for a 3 × 3 image (N = C = 1), 2 × 2, S = 1, P = 0 →
///   [[1, 2, 1], [2, 4, 2], [1, 2, 1]] (how many patches contain each pixel).
public func col2im(_ columns: Tensor, inputShape: [Int], kernelHeight KH: Int, kernelWidth KW: Int,
                   stride S: Int, padding P: Int) -> Tensor {
    precondition(inputShape.count == 4, "col2im: inputShape must be (N, C, H, W), got \(inputShape)")
    let (N, C, H, W) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
    let (Ho, Wo) = ConvolutionGeometry(kernelHeight: KH, kernelWidth: KW, stride: S, padding: P)
        .outputSize(height: H, width: W)
    let K = C * KH * KW
    precondition(columns.shape == [N * Ho * Wo, K],
                 "col2im: for images \(Tensor.describe(inputShape)) the columns must be (N·H′·W′, C·KH·KW) = (\(N * Ho * Wo), \(K)), got \(columns.shapeDescription)")
    // TODO: the same loops as im2col, with the copy reversed and ADDED:
    // image[n, c, r, s] += columns[row, column] where (r, s) lies inside the image.
    return unimplemented(Tensor.zeros(shape: inputShape))
}
