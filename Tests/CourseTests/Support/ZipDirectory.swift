import Foundation

/// The names, sizes, CRC-32s and Unix modes of a zip's entries, read from its central directory
/// (no decompression: the test compares contents through their CRC-32).
struct ZipDirectory {
    struct Entry { let name: String; let size: Int; let crc: UInt32; let mode: UInt16 }
    let entries: [Entry]

    init(_ data: Data) throws {
        let bytes = [UInt8](data)
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) | UInt32(u16(at + 2)) << 16 }
        // The end-of-central-directory record: its signature, searched from the end.
        guard bytes.count >= 22, let end = stride(from: bytes.count - 22, through: 0, by: -1).first(where: { u32($0) == 0x0605_4b50 }) else {
            throw NotAZip(reason: "no end-of-central-directory record")
        }
        var at = Int(u32(end + 16))
        var entries: [Entry] = []
        for _ in 0..<u16(end + 10) {
            guard at + 46 <= bytes.count, u32(at) == 0x0201_4b50 else { throw NotAZip(reason: "no central directory header at \(at)") }
            let nameLength = u16(at + 28), extra = u16(at + 30), comment = u16(at + 32)
            let name = String(decoding: bytes[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self)
            entries.append(Entry(name: name, size: Int(u32(at + 24)), crc: u32(at + 16), mode: UInt16((u32(at + 38) >> 16) & 0o7777)))
            at += 46 + nameLength + extra + comment
        }
        self.entries = entries
    }

    /// CRC-32 (IEEE, reflected), as zip records it.
    static func crc32(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in data {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

struct NotAZip: Error { let reason: String }
