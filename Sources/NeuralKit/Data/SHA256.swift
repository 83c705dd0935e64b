import CNeuralSupport

/// SHA-256 (FIPS 180-4), used to check that dataset files are exactly the published ones.
///
/// The digest is 32 bytes, usually written as 64 lowercase hexadecimal digits, as `sha256sum` prints it.
/// The computation is in C (CNeuralSupport/sha256.c) so that it stays fast in debug builds.
public enum SHA256 {
    /// The 32-byte digest of `bytes`.
    public static func digest(of bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { digest(of: $0) }
    }

    /// The 32-byte digest of the bytes in `buffer`.
    public static func digest(of buffer: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: Int(CNS_SHA256_DIGEST_SIZE)) { digest, count in
            cns_sha256_digest(buffer.baseAddress, buffer.count, digest.baseAddress)
            count = Int(CNS_SHA256_DIGEST_SIZE)
        }
    }

    /// The digest of `bytes` as 64 lowercase hexadecimal digits, e.g. `ba7816bf…` for "abc".
    public static func hexDigest(of bytes: [UInt8]) -> String {
        hexadecimal(digest(of: bytes))
    }

    /// Bytes written as lowercase hexadecimal digits, two per byte.
    public static func hexadecimal(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
