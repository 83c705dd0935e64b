import CNeuralSupport
import Foundation

/// Images of handwritten digits with their labels: one part of MNIST (training, validation or test).
///
/// Shape letters: `N` images, each 28×28 = 784 pixels.
/// - `images`: shape (N, 784) in the `.flat` layout (one row per image, rows of pixels one after
///   another, as the fully connected networks take them) or (N, 1, 28, 28) in the `.channelsFirst`
///   layout (one grey channel of 28 rows of 28 pixels, as convolutions take them). Pixel values are
///   the stored bytes divided by 255: 0 (background) to 1 (ink).
/// - `labels`: N digits 0–9; `labels[i]` is the digit drawn in image `i`.
public struct MNISTSet: Sendable, Equatable {
    /// Shape (N, 784) or (N, 1, 28, 28), values in [0, 1].
    public let images: Tensor
    /// N digits in 0...9.
    public let labels: [Int]

    /// Pairs images with labels.
    /// - Parameters:
    ///   - images: shape (N, 784) or (N, 1, 28, 28).
    ///   - labels: N digits in 0...9.
    public init(images: Tensor, labels: [Int]) {
        require(images.shape == [images.shape[0], MNIST.pixelCount]
                     || images.shape == [images.shape[0], 1, MNIST.imageSide, MNIST.imageSide],
                     "MNISTSet: images must have shape (N, 784) or (N, 1, 28, 28), got \(images.shapeDescription)")
        require(images.shape[0] == labels.count,
                     "MNISTSet: \(images.shape[0]) images but \(labels.count) labels; give one label per image")
        require(labels.allSatisfy { (0..<MNIST.classCount).contains($0) },
                     "MNISTSet: labels must be digits 0...9")
        self.images = images
        self.labels = labels
    }

    /// Converts IDX image and label files, as MNIST publishes them, to images and labels.
    ///
    /// Only the images in `rows` are converted to `Float`, so taking a few costs little.
    /// - Parameters:
    ///   - imageFile: IDX unsigned bytes of shape (N, 28, 28).
    ///   - labelFile: IDX unsigned bytes of shape (N), digits 0–9.
    ///   - rows: the images to take, within 0..<N; all of them if nil.
    ///   - layout: `.flat` for (n, 784) images, `.channelsFirst` for (n, 1, 28, 28).
    /// - Throws: `DataError.Kind.unexpectedContents` if the shapes do not fit MNIST's or each
    ///   other, or a label is not a digit.
    public init(imageFile: IDXArray, labelFile: IDXArray, rows: Range<Int>? = nil,
                layout: MNIST.ImageLayout = .flat) throws {
        let side = MNIST.imageSide
        guard imageFile.shape.count == 3, imageFile.shape[1] == side, imageFile.shape[2] == side else {
            throw DataError(.unexpectedContents(
                "expected images of shape N×28×28 (IDX magic 00 00 08 03) but found shape "
                + imageFile.shape.map(String.init).joined(separator: "×")), file: imageFile.file)
        }
        let n = imageFile.shape[0]
        guard labelFile.shape.count == 1 else {
            throw DataError(.unexpectedContents(
                "expected one dimension of labels (IDX magic 00 00 08 01) but found shape "
                + labelFile.shape.map(String.init).joined(separator: "×")), file: labelFile.file)
        }
        guard labelFile.shape[0] == n else {
            throw DataError(.unexpectedContents(
                "\(labelFile.shape[0]) labels for the \(n) images of \(imageFile.file.lastPathComponent); "
                + "the two files must come from the same split"), file: labelFile.file)
        }
        let range = rows ?? 0..<n
        require(range.lowerBound >= 0 && range.upperBound <= n,
                     "MNISTSet: rows \(range) are outside the \(n) images 0..<\(n)")

        let labelValues = labelFile.values
        if let bad = labelValues.firstIndex(where: { $0 >= MNIST.classCount }) {
            throw DataError(.unexpectedContents(
                "label \(labelValues[bad]) at index \(bad - labelValues.startIndex) is not a digit 0–9"),
                file: labelFile.file)
        }
        let start = labelValues.startIndex
        labels = labelValues[(start + range.lowerBound)..<(start + range.upperBound)].map(Int.init)

        let pixels = MNIST.pixelCount
        let scalars = [Float](unsafeUninitializedCapacity: range.count * pixels) { buffer, initialized in
            imageFile.withUnsafeValues { bytes in
                cns_bytes_to_unit_floats(bytes.baseAddress.map { $0 + range.lowerBound * pixels },
                                         buffer.baseAddress, range.count * pixels)
            }
            initialized = range.count * pixels
        }
        images = Tensor(shape: MNISTSet.shape(range.count, layout), scalars: scalars)
    }

    /// The number of images, N.
    public var count: Int { labels.count }

    /// The layout of `images`: `.flat` (N, 784) or `.channelsFirst` (N, 1, 28, 28).
    public var layout: MNIST.ImageLayout { images.rank == 2 ? .flat : .channelsFirst }

    /// The same images in another layout (a reshape: no pixel moves).
    public func withLayout(_ layout: MNIST.ImageLayout) -> MNISTSet {
        MNISTSet(images: images.reshaped(to: MNISTSet.shape(count, layout)), labels: labels)
    }

    /// The images and labels at `range`, e.g. `rows(0..<100)` for the first hundred.
    public func rows(_ range: Range<Int>) -> MNISTSet {
        MNISTSet(images: images.rows(range), labels: Array(labels[range]))
    }

    /// The first `n` images and labels (all of them if there are fewer).
    public func prefix(_ n: Int) -> MNISTSet { rows(0..<Swift.min(n, count)) }

    /// How many images there are of each digit: `labelCounts[d]` for d in 0...9.
    public var labelCounts: [Int] {
        var counts = [Int](repeating: 0, count: MNIST.classCount)
        for label in labels { counts[label] += 1 }
        return counts
    }

    static func shape(_ n: Int, _ layout: MNIST.ImageLayout) -> [Int] {
        switch layout {
        case .flat: return [n, MNIST.pixelCount]
        case .channelsFirst: return [n, 1, MNIST.imageSide, MNIST.imageSide]
        }
    }
}
