import CNeuralSupport
import Foundation

/// A zip writer that writes whatever it is given — `..` paths, absolute paths, symbolic-link
/// entries — for the load test's hostile archives (`ZipWriter` refuses such paths). Entries are
/// stored (method 0); the CRC-32 is right, so only the hostile part can be objected to.
struct RawZip {
    private var local = Data()
    private var central = Data()
    private var count = 0

    /// - Parameter mode: unix mode in the external attributes (0o120777 makes a symbolic link).
    mutating func add(_ path: String, _ data: Data, mode: UInt32 = 0o100644) {
        let name = Data(path.utf8)
        let crc = Self.crc32(data)
        let offset = UInt32(local.count)
        func u16(_ v: Int, _ d: inout Data) { d.append(contentsOf: [UInt8(v & 0xff), UInt8(v >> 8 & 0xff)]) }
        func u32(_ v: UInt32, _ d: inout Data) { for s in stride(from: 0, to: 32, by: 8) { d.append(UInt8(v >> UInt32(s) & 0xff)) } }
        u32(0x0403_4b50, &local); u16(20, &local); u16(0, &local); u16(0, &local); u16(0, &local); u16(0x21, &local)
        u32(crc, &local); u32(UInt32(data.count), &local); u32(UInt32(data.count), &local)
        u16(name.count, &local); u16(0, &local); local += name; local += data
        u32(0x0201_4b50, &central); u16(0x031e, &central); u16(20, &central); u16(0, &central); u16(0, &central)
        u16(0, &central); u16(0x21, &central); u32(crc, &central); u32(UInt32(data.count), &central)
        u32(UInt32(data.count), &central); u16(name.count, &central); u16(0, &central); u16(0, &central)
        u16(0, &central); u16(0, &central); u32(mode << 16, &central); u32(offset, &central); central += name
        count += 1
    }

    func write(to file: URL) throws {
        var end = Data()
        func u16(_ v: Int) { end.append(contentsOf: [UInt8(v & 0xff), UInt8(v >> 8 & 0xff)]) }
        func u32(_ v: Int) { for s in stride(from: 0, to: 32, by: 8) { end.append(UInt8(v >> s & 0xff)) } }
        u32(0x0605_4b50); u16(0); u16(0); u16(count); u16(count); u32(central.count); u32(local.count); u16(0)
        try (local + central + end).write(to: file)
    }

    static func crc32(_ data: Data) -> UInt32 {
        data.withUnsafeBytes { cns_crc32(0, $0.bindMemory(to: UInt8.self).baseAddress, $0.count) }
    }
}
