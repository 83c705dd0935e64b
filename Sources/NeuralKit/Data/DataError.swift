import Foundation

/// A dataset file that cannot be used: missing, unreadable, damaged, or not what was expected.
///
/// `description` names the file, says what is wrong and what to do, e.g.
///
///     train-images-idx3-ubyte.gz: truncated: the header says 60000×28×28 = 47040000 bytes of values
///     but only 1234 follow. The file is damaged or incomplete: copy or download it again.
///     File: /home/me/mnist/train-images-idx3-ubyte.gz
///
/// Code can match `kind`; loaders that know more (e.g. that the file is the bundled copy) replace `advice`.
public struct DataError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public enum Kind: Equatable, Sendable {
        /// None of the paths looked at exists.
        case missing(searched: [String])
        /// The file exists but could not be read.
        case unreadable(reason: String)
        /// The file starts like gzip data but cannot be inflated.
        case corruptCompression(Gzip.Failure)
        /// The first bytes are not an IDX magic number `00 00 <type> <dimension count>`.
        case wrongMagic(firstBytes: [UInt8])
        /// The IDX data type is not unsigned byte (0x08).
        case unsupportedDataType(code: UInt8)
        /// The IDX header declares 0 dimensions.
        case noDimensions
        /// The file ends inside the header.
        case truncatedHeader(needed: Int, available: Int)
        /// Fewer value bytes follow the header than its sizes require.
        case truncated(shape: [Int], expected: Int, available: Int)
        /// More value bytes follow the header than its sizes require.
        case extraBytes(shape: [Int], expected: Int, available: Int)
        /// The SHA-256 of the (uncompressed) contents is not the published one.
        case checksumMismatch(expected: String, actual: String)
        /// A well-formed file whose contents are not what the dataset requires.
        case unexpectedContents(String)
    }

    public var kind: Kind
    /// The file concerned.
    public var file: URL
    /// What to do about it.
    public var advice: String

    public init(_ kind: Kind, file: URL, advice: String? = nil) {
        self.kind = kind
        self.file = file
        self.advice = advice ?? DataError.defaultAdvice(for: kind)
    }

    /// What is wrong, in words, without the file name.
    public var problem: String {
        func sizes(_ shape: [Int]) -> String { shape.map(String.init).joined(separator: "×") }
        func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined(separator: " ") }
        switch kind {
        case .missing(let searched):
            return "not found (looked for \(searched.joined(separator: " and ")))"
        case .unreadable(let reason):
            return "cannot be read: \(reason)"
        case .corruptCompression(let failure):
            return "\(failure.reason == .truncated ? "truncated" : "corrupt") gzip data: \(failure.message)"
        case .wrongMagic(let first):
            return "not an IDX file: it starts with \(hex(first)), but IDX files start with 00 00 08 and "
                + "the number of dimensions (00 00 08 03 for images, 00 00 08 01 for labels)"
        case .unsupportedDataType(let code):
            return "IDX data type 0x\(String(format: "%02x", code)) is not supported; only unsigned bytes (0x08) are, as in MNIST"
        case .noDimensions:
            return "the IDX header declares 0 dimensions; it needs at least 1"
        case .truncatedHeader(let needed, let available):
            return "truncated: the IDX header needs \(needed) bytes but the file has only \(available)"
        case .truncated(let shape, let expected, let available):
            return "truncated: the header says \(sizes(shape)) = \(expected) bytes of values but only \(available) follow"
        case .extraBytes(let shape, let expected, let available):
            return "extra bytes: the header says \(sizes(shape)) = \(expected) bytes of values but \(available) follow"
        case .checksumMismatch(let expected, let actual):
            return "SHA-256 mismatch: expected \(expected), got \(actual)"
        case .unexpectedContents(let what):
            return what
        }
    }

    public var description: String {
        "\(file.lastPathComponent): \(problem). \(advice)\nFile: \(file.path)"
    }

    static func defaultAdvice(for kind: Kind) -> String {
        switch kind {
        case .missing: return "Check the path, or put the file there."
        case .unreadable: return "Check that it is a regular file you have permission to read."
        case .checksumMismatch:
            return "The file is damaged or is not the published one: copy or download it again."
        default: return "The file is damaged or incomplete, or not the file expected: copy or download it again."
        }
    }
}
