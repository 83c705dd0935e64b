import CNeuralSupport

/// gzip compression and decompression through the system zlib (via the CNeuralSupport C target:
/// Foundation on Linux has no gzip API).
///
/// A gzip file is one or more *members*, each a 10-byte header starting with the magic number
/// `1f 8b`, DEFLATE-compressed data, and a trailer holding the CRC-32 and the length (mod 2³²) of the
/// uncompressed data. zlib checks both, so damaged data is detected, not silently inflated.
public enum Gzip {
    /// Why decompression failed: `reason` for code, `message` (zlib's words) for people.
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public enum Reason: Sendable, Equatable {
            /// Not gzip or zlib data, or damaged (bad header, bad block, CRC-32 or length mismatch).
            case corrupt
            /// The data stops before the end of the compressed stream.
            case truncated
            /// Bytes that are not another gzip member follow the compressed stream.
            case trailingData
            /// zlib could not allocate memory.
            case outOfMemory
        }
        public let reason: Reason
        public let message: String
        public var description: String { message }
    }

    /// Whether `bytes` start with the gzip magic number `1f 8b`.
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBufferPointer { cns_is_gzip($0.baseAddress, $0.count) != 0 }
    }

    /// Inflates gzip data (one or more members), or zlib data; the format is detected from the header.
    ///
    /// The output buffer is sized from the gzip trailer's length field, which is exact for ordinary
    /// files, and doubled if that turns out too small (several members, or no trailer to read).
    /// - Throws: `Gzip.Failure` for data that is not valid compressed data.
    public static func decompress(_ bytes: [UInt8]) throws -> [UInt8] {
        let hint = bytes.withUnsafeBufferPointer { cns_gzip_size_hint($0.baseAddress, $0.count) }
        // DEFLATE expands at most about 1032:1, which bounds a damaged length field.
        var capacity = Swift.max(64, Swift.min(Int(hint), bytes.count * 1032))
        if hint == 0 { capacity = Swift.max(capacity, bytes.count * 4) }
        while true {
            var status: Int32 = 0
            var message = [CChar](repeating: 0, count: 256)
            let output = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initializedCount in
                var written = 0
                status = bytes.withUnsafeBufferPointer { input in
                    cns_gzip_inflate(input.baseAddress, input.count, buffer.baseAddress, buffer.count,
                                     &written, &message, message.count)
                }
                initializedCount = written
            }
            switch status {
            case CNS_OK: return output
            case CNS_OUTPUT_TOO_SMALL: capacity *= 2
            default: throw Failure(reason: reason(status), message: string(message))
            }
        }
    }

    /// Compresses `bytes` into a single gzip member, as `gzip -n` would (no name, time 0).
    /// - Parameter level: 0 (store) to 9 (smallest output); 6 is zlib's and gzip's default.
    public static func compress(_ bytes: [UInt8], level: Int = 6) -> [UInt8] {
        require((0...9).contains(level), "Gzip.compress: level \(level) is outside 0...9")
        let capacity = cns_gzip_deflate_bound(bytes.count)
        var status: Int32 = 0
        var message = [CChar](repeating: 0, count: 256)
        let output = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, initializedCount in
            var written = 0
            status = bytes.withUnsafeBufferPointer { input in
                cns_gzip_deflate(input.baseAddress, input.count, Int32(level), buffer.baseAddress,
                                 buffer.count, &written, &message, message.count)
            }
            initializedCount = written
        }
        require(status == CNS_OK, "Gzip.compress: zlib failed: \(string(message))")
        return output
    }

    private static func reason(_ status: Int32) -> Failure.Reason {
        switch status {
        case CNS_TRUNCATED: return .truncated
        case CNS_TRAILING_DATA: return .trailingData
        case CNS_OUT_OF_MEMORY: return .outOfMemory
        default: return .corrupt
        }
    }

    private static func string(_ message: [CChar]) -> String {
        String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
