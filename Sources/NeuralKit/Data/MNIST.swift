import Foundation

/// The MNIST handwritten digits: 60,000 training and 10,000 test images of 28×28 grey pixels,
/// with their labels 0–9 (LeCun, Cortes, Burges; CC BY-SA 3.0, see Resources/MNIST/README.md).
///
///     let test = try MNIST.load(.test)                      // images (10000, 784), labels [Int]
///     let few = try MNIST.load(.train, limit: 1000)         // the first 1,000 training images
///     let (train, validation, test) = try MNIST.loadLectureSplit()   // 59,000 / 1,000 / 10,000
///     let grids = try MNIST.load(.test, layout: .channelsFirst)      // images (10000, 1, 28, 28)
///
/// A copy of the four files ships with NeuralKit; `directory:` loads them from elsewhere instead.
///
/// **Checksums.** By default every file's whole uncompressed contents are checked against the
/// SHA-256 published in the README (hard-coded here), for the bundled copy and for a directory alike,
/// and also when `limit` takes only a few images: the checksum covers the whole file (inflating and
/// hashing the training images takes about 0.3 s in a release build, 0.8 s in a debug one). Pass
/// `verifyingChecksums: false` to skip the check, e.g. for another dataset in the same format and
/// with the same file names (Fashion-MNIST). The sizes in the IDX headers are always checked, and
/// gzip's own CRC-32 always guards compressed files.
public enum MNIST {
    /// The two parts MNIST is published in.
    public enum Split: String, Sendable, CaseIterable {
        /// 60,000 images, written by 250 writers (the lectures keep the last 1,000 for validation).
        case train
        /// 10,000 images by other writers.
        case test

        /// The standard file name of the images, without ".gz".
        public var imageFileName: String { self == .train ? "train-images-idx3-ubyte" : "t10k-images-idx3-ubyte" }
        /// The standard file name of the labels, without ".gz".
        public var labelFileName: String { self == .train ? "train-labels-idx1-ubyte" : "t10k-labels-idx1-ubyte" }
        /// The number of images: 60,000 or 10,000.
        public var count: Int { self == .train ? 60_000 : 10_000 }
    }

    /// How images are shaped: `.flat` (N, 784) for fully connected networks, `.channelsFirst`
    /// (N, 1, 28, 28) — channels, height, width — for convolutional ones.
    public enum ImageLayout: Sendable {
        case flat
        case channelsFirst
    }

    /// Images are `imageSide` × `imageSide` = 28 × 28 pixels.
    public static let imageSide = 28
    /// Pixels per image, 784: the input size of the lectures' networks.
    public static let pixelCount = imageSide * imageSide
    /// Ten classes, the digits 0–9.
    public static let classCount = 10
    /// The lectures' validation set: the last 1,000 training images.
    public static let validationCount = 1_000

    /// The SHA-256 of each uncompressed file, as published in Resources/MNIST/README.md.
    public static let publishedSHA256: [String: String] = [
        "train-images-idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        "train-labels-idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        "t10k-images-idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        "t10k-labels-idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
    ]

    /// The directory holding the copy bundled with NeuralKit (the four files, gzip-compressed).
    public static var bundledDirectory: URL {
        Bundle.module.url(forResource: "MNIST", withExtension: nil)
            ?? Bundle.module.bundleURL.appendingPathComponent("MNIST", isDirectory: true)
    }

    /// Loads one split.
    /// - Parameters:
    ///   - split: `.train` (60,000 images) or `.test` (10,000).
    ///   - limit: take only the first `limit` images (all if nil); only these are converted to `Float`.
    ///   - directory: a directory holding the split's two files under their standard names, each
    ///     gzip-compressed or not (`<name>.gz` is used if present, else `<name>`); nil for the bundled copy.
    ///   - layout: `.flat` for images of shape (N, 784), `.channelsFirst` for (N, 1, 28, 28).
    ///   - verifyingChecksums: compare each file's SHA-256 with the published one (see the type's notes).
    /// - Throws: `DataError`, naming the file, what is wrong and what to do.
    public static func load(_ split: Split, limit: Int? = nil, from directory: URL? = nil,
                            layout: ImageLayout = .flat, verifyingChecksums: Bool = true) throws -> MNISTSet {
        require(limit.map { $0 >= 0 } ?? true, "MNIST.load: limit \(limit ?? 0) is negative")
        let (imageFile, labelFile) = try readFiles(split, from: directory, verifyingChecksums: verifyingChecksums)
        let n = imageFile.shape.first ?? 0
        return try annotating(directory) {
            try MNISTSet(imageFile: imageFile, labelFile: labelFile, rows: 0..<Swift.min(limit ?? n, n), layout: layout)
        }
    }

    /// The split the lectures use: the first 59,000 training images to train on, the last 1,000 to
    /// validate (choose hyperparameters, stop early), and the 10,000 test images kept for the end.
    /// - Parameters: as for `load`.
    public static func loadLectureSplit(from directory: URL? = nil, layout: ImageLayout = .flat,
                                        verifyingChecksums: Bool = true)
        throws -> (train: MNISTSet, validation: MNISTSet, test: MNISTSet)
    {
        let (imageFile, labelFile) = try readFiles(.train, from: directory, verifyingChecksums: verifyingChecksums)
        let n = imageFile.shape.first ?? 0
        guard n > validationCount else {
            throw DataError(.unexpectedContents("\(n) training images, but the lecture split keeps the last "
                + "\(validationCount) for validation and needs more"), file: imageFile.file)
        }
        let (train, validation) = try annotating(directory) {
            (try MNISTSet(imageFile: imageFile, labelFile: labelFile, rows: 0..<(n - validationCount), layout: layout),
             try MNISTSet(imageFile: imageFile, labelFile: labelFile, rows: (n - validationCount)..<n, layout: layout))
        }
        let test = try load(.test, from: directory, layout: layout, verifyingChecksums: verifyingChecksums)
        return (train, validation, test)
    }

    /// The file named `name` in `directory`: `<name>.gz` if it exists, else `<name>`.
    /// - Throws: `DataError` `.missing` listing both paths.
    public static func locate(_ name: String, in directory: URL) throws -> URL {
        let compressed = directory.appendingPathComponent(name + ".gz")
        let plain = directory.appendingPathComponent(name)
        for url in [compressed, plain] where FileManager.default.fileExists(atPath: url.path) { return url }
        throw DataError(.missing(searched: [compressed.path, plain.path]), file: compressed,
                        advice: advice(for: directory, kind: .missing(searched: [])))
    }

    /// Reads, inflates, verifies and parses a split's image and label files.
    static func readFiles(_ split: Split, from directory: URL?, verifyingChecksums: Bool) throws
        -> (images: IDXArray, labels: IDXArray)
    {
        try annotating(directory) {
            let folder = directory ?? bundledDirectory
            let files = try [split.imageFileName, split.labelFileName].map { name in
                try IDX.read(contentsOf: locate(name, in: folder),
                             expectedSHA256: verifyingChecksums ? publishedSHA256[name] : nil)
            }
            return (files[0], files[1])
        }
    }

    /// Runs `body`, replacing the advice of a `DataError` by advice that fits where the file is.
    private static func annotating<R>(_ directory: URL?, _ body: () throws -> R) throws -> R {
        do {
            return try body()
        } catch var error as DataError {
            error.advice = advice(for: directory, kind: error.kind)
            throw error
        }
    }

    private static func advice(for directory: URL?, kind: DataError.Kind) -> String {
        let names = Split.allCases.flatMap { [$0.imageFileName, $0.labelFileName] }.joined(separator: ", ")
        guard directory != nil else {
            return "This is the copy bundled with NeuralKit, which is damaged or missing: restore it with "
                + "`git checkout -- Sources/NeuralKit/Resources/MNIST` (or clone the repository again), then rebuild."
        }
        switch kind {
        case .missing:
            return "Put the MNIST files there under their standard names (\(names)), each with or "
                + "without .gz, or load without `from:` to use the copy bundled with NeuralKit."
        case .checksumMismatch:
            return "The file is damaged or is not the original MNIST file: copy or download it again. If the "
                + "directory holds another dataset in MNIST's format (e.g. Fashion-MNIST), load it with "
                + "`verifyingChecksums: false`."
        default:
            return DataError.defaultAdvice(for: kind)
        }
    }
}
