import Foundation
import NeuralKit
import Testing

/// A fresh empty directory, removed by the returned closure.
fileprivate func temporaryDirectory() throws -> (URL, () -> Void) {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("MNISTTests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return (url, { try? FileManager.default.removeItem(at: url) })
}

/// Reference values: label counts from Resources/MNIST/README.md; first labels and byte sums of
/// images computed independently with Python (gzip + NumPy) from the same files.
@Suite struct MNISTTests {
    static let publishedTrainCounts = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
    static let publishedTestCounts = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]

    /// The sum of the stored bytes of image `i` (pixel values × 255).
    func byteSum(_ set: MNISTSet, _ i: Int) -> Int {
        let pixels = set.images.scalars[(i * 784)..<((i + 1) * 784)]
        return Int(pixels.reduce(0.0) { $0 + Double($1) * 255 }.rounded())
    }

    @Test func loadsTheBundledTestSplit() throws {
        let test = try MNIST.load(.test)
        #expect(test.count == 10_000)
        #expect(test.images.shape == [10_000, 784])
        #expect(test.layout == .flat)
        #expect(test.labelCounts == Self.publishedTestCounts)
        #expect(Array(test.labels.prefix(10)) == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9])
        #expect(Array(test.labels.suffix(10)) == [7, 8, 9, 0, 1, 2, 3, 4, 5, 6])
        let (smallest, largest) = test.images.scalars.withUnsafeBufferPointer { values in
            var (smallest, largest) = (Float.infinity, -Float.infinity)   // one pass: quick in debug builds
            for v in values { if v < smallest { smallest = v }; if v > largest { largest = v } }
            return (smallest, largest)
        }
        #expect(smallest == 0 && largest == 1)
        // Every value is a byte / 255, exactly as Float division rounds it.
        #expect(test.images.scalars.prefix(50_000).allSatisfy { Float(($0 * 255).rounded()) / 255 == $0 })
        let sums: [Int] = [0, 1, 2, 9_999].map { byteSum(test, $0) }
        #expect(sums == [18454, 28850, 9871, 41833])
        // Row 7 of the first image (a 7), pixels 6 to 11.
        #expect(Array(test.images.scalars[(7 * 28 + 6)..<(7 * 28 + 12)]) == [84, 185, 159, 151, 60, 36].map { Float($0) / 255 })
    }

    @Test func limitAndLayout() throws {
        let few = try MNIST.load(.test, limit: 5, layout: .channelsFirst)
        #expect(few.images.shape == [5, 1, 28, 28])
        #expect(few.layout == .channelsFirst)
        #expect(few.labels == [7, 2, 1, 0, 4])
        let flat = few.withLayout(.flat)
        #expect(flat.images.shape == [5, 784])
        #expect(flat.images.scalars == few.images.scalars)
        #expect(byteSum(flat, 1) == 28850)
        #expect(flat.prefix(2).labels == [7, 2])
        #expect(flat.rows(3..<5).labels == [0, 4])
        #expect(try MNIST.load(.test, limit: 0).images.shape == [0, 784])
        #expect(try MNIST.load(.test, limit: 20_000, verifyingChecksums: false).count == 10_000)
    }

    /// The one test that loads the 60,000 training images (about 1 s in a debug build).
    @Test func lectureSplit() throws {
        let (train, validation, test) = try MNIST.loadLectureSplit()
        #expect(train.images.shape == [59_000, 784])
        #expect(validation.images.shape == [1_000, 784])
        #expect(test.images.shape == [10_000, 784])
        #expect(Array(train.labels.prefix(10)) == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4])
        #expect(Array(validation.labels.suffix(10)) == [9, 2, 9, 5, 1, 8, 3, 5, 6, 8])
        #expect(validation.labelCounts == [98, 102, 105, 103, 96, 90, 107, 107, 94, 98])
        #expect(zip(train.labelCounts, validation.labelCounts).map(+) == Self.publishedTrainCounts)
        let sums: [Int] = [byteSum(train, 0), byteSum(train, 1), byteSum(validation, 999)]
        #expect(sums == [27525, 31095, 20920])
        #expect(test.labelCounts == Self.publishedTestCounts)
    }

    @Test func loadsFromADirectoryOfRawAndCompressedFiles() throws {
        let (directory, remove) = try temporaryDirectory()
        defer { remove() }
        let bundled = MNIST.bundledDirectory
        // Images uncompressed, labels still gzipped.
        let images = try IDX.inflatedIfCompressed(
            IDX.readFile(bundled.appendingPathComponent("t10k-images-idx3-ubyte.gz")), file: bundled)
        try Data(images).write(to: directory.appendingPathComponent("t10k-images-idx3-ubyte"))
        try FileManager.default.copyItem(at: bundled.appendingPathComponent("t10k-labels-idx1-ubyte.gz"),
                                         to: directory.appendingPathComponent("t10k-labels-idx1-ubyte.gz"))
        let test = try MNIST.load(.test, limit: 100, from: directory)
        #expect(test == (try MNIST.load(.test, limit: 100)))
    }

    @Test func missingFilesAreNamedWithWhatToDo() throws {
        let (directory, remove) = try temporaryDirectory()
        defer { remove() }
        let error = try #require(throws: DataError.self) { _ = try MNIST.load(.train, from: directory) }
        let name = "train-images-idx3-ubyte"
        #expect(error.kind == .missing(searched: [directory.appendingPathComponent(name + ".gz").path,
                                                  directory.appendingPathComponent(name).path]))
        #expect(error.description.contains("t10k-labels-idx1-ubyte"))   // lists the files to put there
    }

    /// Another dataset in MNIST's format and names (like Fashion-MNIST) fails the checksum, and loads
    /// when verification is off.
    @Test func otherDatasetsNeedVerificationOff() throws {
        let (directory, remove) = try temporaryDirectory()
        defer { remove() }
        let pixels = (0..<(3 * 784)).map { UInt8($0 % 256) }
        try Data(Gzip.compress(IDX.encode(shape: [3, 28, 28], values: pixels)))
            .write(to: directory.appendingPathComponent("t10k-images-idx3-ubyte.gz"))
        try Data(IDX.encode(shape: [3], values: [9, 0, 3]))
            .write(to: directory.appendingPathComponent("t10k-labels-idx1-ubyte"))

        let error = try #require(throws: DataError.self) { _ = try MNIST.load(.test, from: directory) }
        guard case .checksumMismatch(let expected, _) = error.kind else {
            Issue.record("expected a checksum mismatch, got \(error)")
            return
        }
        #expect(expected == MNIST.publishedSHA256["t10k-images-idx3-ubyte"])
        #expect(error.description.contains("verifyingChecksums: false"))

        let other = try MNIST.load(.test, from: directory, verifyingChecksums: false)
        #expect(other.labels == [9, 0, 3])
        #expect(other.images.shape == [3, 784])
        #expect(other.images[2, 783] == Float((2 * 784 + 783) % 256) / 255)
    }

    @Test func rejectsFilesThatDoNotFitMNIST() throws {
        let images = directoryFree(IDX.encode(shape: [2, 28, 28], values: [UInt8](repeating: 0, count: 2 * 784)), "i")
        func kind(_ labels: IDXArray, _ images: IDXArray) -> DataError.Kind? {
            do { _ = try MNISTSet(imageFile: images, labelFile: labels); return nil } catch let error as DataError {
                return error.kind
            } catch { return nil }
        }
        let notDigits = directoryFree(IDX.encode(shape: [2], values: [3, 10]), "l")
        #expect(kind(notDigits, images) == .unexpectedContents("label 10 at index 1 is not a digit 0–9"))
        let tooMany = directoryFree(IDX.encode(shape: [3], values: [1, 2, 3]), "l")
        guard case .unexpectedContents? = kind(tooMany, images) else { Issue.record("3 labels for 2 images"); return }
        let wrongSize = directoryFree(IDX.encode(shape: [2, 14, 14], values: [UInt8](repeating: 0, count: 392)), "i")
        guard case .unexpectedContents? = kind(notDigits, wrongSize) else { Issue.record("14×14 images"); return }
    }

    /// Parses in-memory IDX bytes (no file needed).
    func directoryFree(_ bytes: [UInt8], _ name: String) -> IDXArray {
        try! IDX.parse(bytes, file: URL(fileURLWithPath: "/in-memory/\(name)"))
    }
}
