import NeuralKit

// Where a kernel can sit on an image. Shapes: H × W input, KH × KW kernel, stride S, zero padding P.
//
// The kernel's top-left corner starts at row 0 of the padded image (H + 2P rows) and moves down S
// rows at a time while the whole kernel still fits, so it takes
//
//     H′ = 1 + ⌊(H + 2P − KH) / S⌋   positions down,   W′ = 1 + ⌊(W + 2P − KW) / S⌋   across.
//
// Output position (i, j) reads padded rows i·S … i·S + KH − 1 and columns j·S … j·S + KW − 1.

/// A convolution's (or a pooling window's) kernel size, stride and zero padding.
public struct ConvolutionGeometry: Sendable, Equatable {
    /// KH, the kernel's rows, ≥ 1.
    public var kernelHeight: Int
    /// KW, the kernel's columns, ≥ 1.
    public var kernelWidth: Int
    /// S, how many pixels the kernel moves between neighbouring positions, ≥ 1.
    public var stride: Int
    /// P, the rings of zeros added around the image, ≥ 0.
    public var padding: Int

    /// A geometry; the sizes are checked here.
    /// - Parameters:
    ///   - kernelHeight: KH ≥ 1.
    ///   - kernelWidth: KW ≥ 1.
    ///   - stride: S ≥ 1.
    ///   - padding: P ≥ 0.
    public init(kernelHeight: Int, kernelWidth: Int, stride: Int = 1, padding: Int = 0) {
        precondition(kernelHeight >= 1 && kernelWidth >= 1,
                     "ConvolutionGeometry: the kernel must be at least 1 × 1, got \(kernelHeight) × \(kernelWidth)")
        precondition(stride >= 1, "ConvolutionGeometry: the stride must be ≥ 1, got \(stride)")
        precondition(padding >= 0, "ConvolutionGeometry: the padding must be ≥ 0, got \(padding)")
        self.kernelHeight = kernelHeight
        self.kernelWidth = kernelWidth
        self.stride = stride
        self.padding = padding
    }

    /// A square K × K kernel.
    /// - Parameters:
    ///   - kernelSize: K ≥ 1.
    ///   - stride: S ≥ 1.
    ///   - padding: P ≥ 0.
    public init(kernelSize: Int, stride: Int = 1, padding: Int = 0) {
        self.init(kernelHeight: kernelSize, kernelWidth: kernelSize, stride: stride, padding: padding)
    }

    /// The number of kernel positions down and across an H × W image.
    /// - Parameters:
    ///   - height: H ≥ 1.
    ///   - width: W ≥ 1.
    /// - Returns: H′ = 1 + ⌊(H + 2P − KH) / S⌋ and W′ likewise.
    ///   Example: 28 × 28 with a 3 × 3 kernel, S = 1, P = 0 → (26, 26); with S = 2, P = 1 → (14, 14).
    public func outputSize(height: Int, width: Int) -> (height: Int, width: Int) {
        precondition(height + 2 * padding >= kernelHeight && width + 2 * padding >= kernelWidth,
                     "ConvolutionGeometry: a \(kernelHeight) × \(kernelWidth) kernel does not fit a \(height) × \(width) image padded by \(padding)")
        // TODO: the formula above for each side (Swift's `/` on Ints rounds down for positive numbers).
        return unimplemented((height: 0, width: 0))
    }
}
