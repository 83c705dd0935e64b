import Foundation
import NeuralKit
import Testing

/// A fresh empty directory, removed by the returned closure.
fileprivate func temporaryDirectory() throws -> (URL, () -> Void) {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("IDXTests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return (url, { try? FileManager.default.removeItem(at: url) })
}

@Suite struct SHA256Tests {
    // Digests from FIPS 180-2 appendix B and Python's hashlib.
    @Test func standardVectors() {
        #expect(SHA256.hexDigest(of: []) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hexDigest(of: Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hexDigest(of: Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hexDigest(of: [UInt8](repeating: 0x61, count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Lengths around the padding boundaries: 55 bytes leave room for the length in one block, 56 do not.
    @Test func paddingBoundaries() {
        let expected = [
            55: "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318",
            56: "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a",
            63: "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34",
            64: "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb",
            65: "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0",
            119: "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb",
            120: "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c",
        ]
        for (length, digest) in expected {
            #expect(SHA256.hexDigest(of: [UInt8](repeating: 0x61, count: length)) == digest, "length \(length)")
        }
    }
}

@Suite struct GzipTests {
    /// `gzip.compress(b"hello, world\n", mtime=0)` from Python: an independent encoder.
    let pythonGzip: [UInt8] = [31, 139, 8, 0, 0, 0, 0, 0, 2, 3, 203, 72, 205, 201, 201, 215, 81, 40, 207, 47, 202,
                               73, 225, 2, 0, 83, 116, 36, 244, 13, 0, 0, 0]

    @Test func inflatesDataFromAnotherEncoder() throws {
        #expect(Gzip.isCompressed(pythonGzip))
        #expect(try Gzip.decompress(pythonGzip) == Array("hello, world\n".utf8))
    }

    @Test func roundTripsRandomAndEmptyData() throws {
        var generator = SeededGenerator(seed: 7)
        let random = (0..<100_000).map { _ in UInt8(generator.nextInt(below: 16)) }
        for data in [random, [], [42]] {
            let compressed = Gzip.compress(data, level: 9)
            #expect(Array(compressed.prefix(2)) == [0x1f, 0x8b])
            #expect(try Gzip.decompress(compressed) == data)
        }
        #expect(Gzip.compress(random).count < random.count)   // 4 bits of entropy per byte
    }

    @Test func inflatesSeveralMembers() throws {
        let joined = Gzip.compress(Array("first ".utf8)) + pythonGzip
        #expect(try Gzip.decompress(joined) == Array("first hello, world\n".utf8))
        // The trailer's length is only the last member's (13 bytes): the output buffer must grow.
        let large = [UInt8](repeating: 0x2a, count: 100_000)
        #expect(try Gzip.decompress(Gzip.compress(large) + pythonGzip) == large + Array("hello, world\n".utf8))
    }

    @Test func reportsDamage() {
        func reason(_ bytes: [UInt8]) -> Gzip.Failure.Reason? {
            do { _ = try Gzip.decompress(bytes); return nil } catch let failure as Gzip.Failure {
                return failure.reason
            } catch { return nil }
        }
        #expect(reason(Array(pythonGzip.dropLast(3))) == .truncated)
        #expect(reason(Array(pythonGzip.prefix(5))) == .truncated)
        var badChecksum = pythonGzip
        badChecksum[pythonGzip.count - 8] ^= 0xff                // the CRC-32 in the trailer
        #expect(reason(badChecksum) == .corrupt)
        var badHeader = pythonGzip
        badHeader[2] = 7                                         // compression method must be 8
        #expect(reason(badHeader) == .corrupt)
        #expect(reason(pythonGzip + [1, 2, 3]) == .trailingData)
    }
}

@Suite struct IDXTests {
    /// (3, 2, 2) unsigned bytes 0, 20, 40, …, 220.
    let values: [UInt8] = (0..<12).map { UInt8($0 * 20) }

    func thrownKind(_ body: () throws -> Void) -> DataError.Kind? {
        do { try body(); return nil } catch let error as DataError { return error.kind } catch { return nil }
    }

    @Test func encodesTheStandardHeader() {
        let bytes = IDX.encode(shape: [3, 2, 2], values: values)
        #expect(Array(bytes.prefix(16)) == [0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2])
        #expect(bytes.count == 16 + 12)
        #expect(IDX.encode(shape: [70_000], values: [UInt8](repeating: 1, count: 70_000)).prefix(8)
                .elementsEqual([0, 0, 8, 1, 0, 1, 0x11, 0x70]))   // 70000 = 0x011170
    }

    @Test func readsRawAndGzippedFiles() throws {
        let (directory, remove) = try temporaryDirectory()
        defer { remove() }
        let bytes = IDX.encode(shape: [3, 2, 2], values: values)
        let raw = directory.appendingPathComponent("images-idx3-ubyte")
        let compressed = directory.appendingPathComponent("images-idx3-ubyte.gz")
        try Data(bytes).write(to: raw)
        try Data(Gzip.compress(bytes)).write(to: compressed)
        for url in [raw, compressed] {
            let array = try IDX.read(contentsOf: url, expectedSHA256: SHA256.hexDigest(of: bytes))
            #expect(array.shape == [3, 2, 2])
            #expect(array.count == 12)
            #expect(Array(array.values) == values)
            #expect(array.withUnsafeValues { Array($0) } == values)
            #expect(array.file == url)
        }
        // Detection is from the bytes, not the name: gzip data under a plain name is inflated too.
        try Data(Gzip.compress(bytes)).write(to: raw)
        #expect(try IDX.read(contentsOf: raw).shape == [3, 2, 2])
    }

    @Test func rejectsWrongMagicAndType() {
        let file = URL(fileURLWithPath: "/tmp/x-idx3-ubyte")
        #expect(thrownKind { _ = try IDX.parse(Array("PK\u{3}\u{4}rest".utf8), file: file) }
                == .wrongMagic(firstBytes: [0x50, 0x4b, 3, 4]))
        var float32 = IDX.encode(shape: [2], values: [1, 2])
        float32[2] = 0x0d
        #expect(thrownKind { _ = try IDX.parse(float32, file: file) } == .unsupportedDataType(code: 0x0d))
        #expect(thrownKind { _ = try IDX.parse([0, 0, 8, 0], file: file) } == .noDimensions)
        #expect(thrownKind { _ = try IDX.parse([0, 0, 8, 3, 0, 0, 0, 1], file: file) }
                == .truncatedHeader(needed: 16, available: 8))
        #expect(thrownKind { _ = try IDX.parse([0, 0], file: file) } == .truncatedHeader(needed: 4, available: 2))
    }

    @Test func rejectsTruncatedFilesAndExtraBytes() throws {
        let file = URL(fileURLWithPath: "/data/train-images-idx3-ubyte.gz")
        let bytes = IDX.encode(shape: [3, 2, 2], values: values)
        #expect(thrownKind { _ = try IDX.parse(Array(bytes.dropLast(5)), file: file) }
                == .truncated(shape: [3, 2, 2], expected: 12, available: 7))
        #expect(thrownKind { _ = try IDX.parse(bytes + [0], file: file) }
                == .extraBytes(shape: [3, 2, 2], expected: 12, available: 13))
        let error = try #require(throws: DataError.self) { _ = try IDX.parse(Array(bytes.dropLast(5)), file: file) }
        let text = error.description
        #expect(text.hasPrefix("train-images-idx3-ubyte.gz: truncated: the header says 3×2×2 = 12 bytes"))
        #expect(text.contains("only 7 follow"))
        #expect(text.contains("download it again"))
        #expect(text.contains("/data/train-images-idx3-ubyte.gz"))
    }

    @Test func rejectsCorruptGzipAndMissingFiles() throws {
        let (directory, remove) = try temporaryDirectory()
        defer { remove() }
        var compressed = Gzip.compress(IDX.encode(shape: [3, 2, 2], values: values))
        compressed[compressed.count - 6] ^= 0x55                 // the CRC-32 in the trailer
        let url = directory.appendingPathComponent("labels.gz")
        try Data(compressed).write(to: url)
        guard case .corruptCompression(let failure)? = thrownKind({ _ = try IDX.read(contentsOf: url) }) else {
            Issue.record("a damaged gzip file was accepted")
            return
        }
        #expect(failure.reason == .corrupt)
        let missing = directory.appendingPathComponent("nothing-here")
        #expect(thrownKind { _ = try IDX.read(contentsOf: missing) } == .missing(searched: [missing.path]))
        guard case .unreadable? = thrownKind({ _ = try IDX.read(contentsOf: directory) }) else {
            Issue.record("a directory was read as a file")
            return
        }
    }

    @Test func verifiesTheChecksumOfTheUncompressedContents() throws {
        let (directory, remove) = try temporaryDirectory()
        defer { remove() }
        let bytes = IDX.encode(shape: [12], values: values)
        let url = directory.appendingPathComponent("labels-idx1-ubyte.gz")
        try Data(Gzip.compress(bytes)).write(to: url)
        let actual = SHA256.hexDigest(of: bytes)
        let wrong = String(repeating: "0", count: 64)
        #expect(thrownKind { _ = try IDX.read(contentsOf: url, expectedSHA256: wrong) }
                == .checksumMismatch(expected: wrong, actual: actual))
        #expect(try IDX.read(contentsOf: url, expectedSHA256: actual.uppercased()).shape == [12])
    }
}
