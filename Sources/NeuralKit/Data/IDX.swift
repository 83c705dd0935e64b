import Foundation

/// An array read from an IDX file: its shape and its unsigned-byte values in row-major order.
///
/// The values are not copied out of the file's bytes: `values` is a slice of them, so its indices
/// start after the header (use `values.startIndex`, or `withUnsafeValues` for a zero-based buffer).
public struct IDXArray: Sendable, Equatable {
    /// The size of each dimension, outermost first, e.g. [60000, 28, 28] for MNIST's training images.
    public let shape: [Int]
    /// The file it was read from, named in errors about its contents.
    public let file: URL
    /// The whole (uncompressed) file, header included.
    let storage: [UInt8]
    /// The length of the header: 4 bytes of magic number, then 4 per dimension.
    let headerSize: Int

    /// The number of values, the product of `shape`.
    public var count: Int { storage.count - headerSize }

    /// The values in row-major order (a slice of the file: indices start at the header's length).
    public var values: ArraySlice<UInt8> { storage[headerSize...] }

    /// Calls `body` with the values as a zero-based buffer, without copying them.
    public func withUnsafeValues<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { file in
            try body(UnsafeBufferPointer(rebasing: file[headerSize...]))
        }
    }
}

/// The IDX file format, in which MNIST is published, gzip-compressed or not.
///
/// An IDX file is a big-endian header followed by the values:
///
///     00 00 TT DD          magic number: TT = data type (08 = unsigned byte), DD = number of dimensions
///     S₀ S₁ … S_{DD−1}     one 32-bit big-endian size per dimension, outermost first
///     values               S₀·S₁·…·S_{DD−1} values, row-major
///
/// MNIST's label files are 00 00 08 01 (one dimension, N), its image files 00 00 08 03 (N, 28, 28).
/// Only the unsigned-byte type is supported here.
public enum IDX {
    /// The IDX data-type code of unsigned bytes, the only type MNIST uses.
    public static let unsignedByteType: UInt8 = 0x08

    /// Reads an IDX file, gzip-compressed or not (detected from the bytes: gzip starts 1f 8b).
    /// - Parameters:
    ///   - url: the file.
    ///   - expectedSHA256: if given, the SHA-256 of the *uncompressed* file as 64 hexadecimal digits;
    ///     the contents must match it. Checked after the header and size, whose errors are more telling.
    /// - Throws: `DataError` naming the file, what is wrong and what to do.
    public static func read(contentsOf url: URL, expectedSHA256: String? = nil) throws -> IDXArray {
        let bytes = try inflatedIfCompressed(readFile(url), file: url)
        let array = try parse(bytes, file: url)   // first: a wrong header or size says more than a digest
        if let expectedSHA256 { try verify(bytes, expectedSHA256: expectedSHA256, file: url) }
        return array
    }

    /// The bytes of a file, as stored (still compressed if it is).
    /// - Throws: `DataError` `.missing` or `.unreadable`.
    public static func readFile(_ url: URL) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw DataError(.missing(searched: [url.path]), file: url)
        }
        guard !isDirectory.boolValue else {
            throw DataError(.unreadable(reason: "it is a directory"), file: url)
        }
        do {
            return [UInt8](try Data(contentsOf: url))
        } catch {
            throw DataError(.unreadable(reason: error.localizedDescription), file: url)
        }
    }

    /// `bytes` inflated if they are gzip data (they start 1f 8b), unchanged otherwise.
    /// - Parameter file: named in errors.
    /// - Throws: `DataError` `.corruptCompression`.
    public static func inflatedIfCompressed(_ bytes: [UInt8], file: URL) throws -> [UInt8] {
        guard Gzip.isCompressed(bytes) else { return bytes }
        do {
            return try Gzip.decompress(bytes)
        } catch let failure as Gzip.Failure {
            throw DataError(.corruptCompression(failure), file: file)
        }
    }

    /// Checks that SHA-256(`bytes`) is `expectedSHA256` (64 hexadecimal digits, any case).
    /// - Throws: `DataError` `.checksumMismatch` with both digests.
    public static func verify(_ bytes: [UInt8], expectedSHA256: String, file: URL) throws {
        let actual = SHA256.hexDigest(of: bytes)
        let expected = expectedSHA256.lowercased()
        guard actual == expected else {
            throw DataError(.checksumMismatch(expected: expected, actual: actual), file: file)
        }
    }

    /// Parses the uncompressed contents of an IDX file; the values are not copied.
    /// - Parameter file: named in errors.
    /// - Throws: `DataError` for a wrong magic number or data type, or a size that does not match
    ///   the header (truncated file or extra bytes).
    public static func parse(_ bytes: [UInt8], file: URL) throws -> IDXArray {
        guard bytes.count >= 4 else {
            throw DataError(.truncatedHeader(needed: 4, available: bytes.count), file: file)
        }
        guard bytes[0] == 0, bytes[1] == 0 else {
            throw DataError(.wrongMagic(firstBytes: Array(bytes.prefix(4))), file: file)
        }
        guard bytes[2] == unsignedByteType else {
            throw DataError(.unsupportedDataType(code: bytes[2]), file: file)
        }
        let dimensionCount = Int(bytes[3])
        guard dimensionCount > 0 else { throw DataError(.noDimensions, file: file) }
        let headerSize = 4 + 4 * dimensionCount
        guard bytes.count >= headerSize else {
            throw DataError(.truncatedHeader(needed: headerSize, available: bytes.count), file: file)
        }
        let shape = (0..<dimensionCount).map { d in
            bytes[(4 + 4 * d)..<(8 + 4 * d)].reduce(0) { $0 << 8 | Int($1) }   // big-endian
        }
        var expected = 1   // the product of the sizes; a product beyond Int.max cannot fit in any file
        for size in shape {
            let (product, overflow) = expected.multipliedReportingOverflow(by: size)
            expected = overflow ? Int.max : product
        }
        let available = bytes.count - headerSize
        if available < expected {
            throw DataError(.truncated(shape: shape, expected: expected, available: available), file: file)
        }
        if available > expected {
            throw DataError(.extraBytes(shape: shape, expected: expected, available: available), file: file)
        }
        return IDXArray(shape: shape, file: file, storage: bytes, headerSize: headerSize)
    }

    /// The bytes of an uncompressed IDX file of unsigned bytes holding `values` with `shape`
    /// (compress them with `Gzip.compress` for a .gz file).
    /// - Parameters:
    ///   - shape: 1 to 255 sizes, each below 2³².
    ///   - values: `shape.reduce(1, *)` values in row-major order.
    public static func encode(shape: [Int], values: [UInt8]) -> [UInt8] {
        require((1...255).contains(shape.count), "IDX.encode: \(shape.count) dimensions; IDX allows 1 to 255")
        require(shape.allSatisfy { (0...Int(UInt32.max)).contains($0) }, "IDX.encode: shape \(shape) has a size outside 0...2³²−1")
        require(shape.reduce(1, *) == values.count,
                     "IDX.encode: shape \(shape) holds \(shape.reduce(1, *)) values but \(values.count) were given")
        var bytes: [UInt8] = [0, 0, unsignedByteType, UInt8(shape.count)]
        for size in shape {
            bytes += [UInt8(size >> 24 & 0xff), UInt8(size >> 16 & 0xff), UInt8(size >> 8 & 0xff), UInt8(size & 0xff)]
        }
        return bytes + values
    }
}
