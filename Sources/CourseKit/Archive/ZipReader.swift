import CNeuralSupport
import Foundation

/// Extracts a zip archive from its central directory (the local headers are only checked
/// against it). Entries are stored (method 0) or deflated (method 8); sizes and CRC-32 come from
/// the central directory, so entries written with a data descriptor (flag bit 3) need nothing more.
/// Zip64, split archives and encryption are refused with a message.
///
/// Records used (offsets in bytes, little-endian): end of central directory "PK\5\6" (entries at
/// 10, directory size at 12, offset at 16, comment length at 20); central header "PK\1\2" (made by
/// at 4, flags 8, method 10, CRC 16, compressed size 20, size 24, name/extra/comment lengths 28/30/32,
/// external attributes 38 — the unix mode in their top 16 bits, local header offset 42); local header
/// "PK\3\4" (flags 6, CRC 14, sizes 18/22, name/extra lengths 26/28, then name, extra and the data).
struct ZipReader {
    /// The whole archive file.
    let bytes: [UInt8]
    let output: ArchiveOutput

    private var problem: ArchiveProblem { output.problem }

    func u16(_ at: Int) -> UInt32 { UInt32(bytes[at]) | UInt32(bytes[at + 1]) << 8 }
    func u32(_ at: Int) -> UInt32 { u16(at) | u16(at + 2) << 16 }

    func extract() throws {
        guard let end = endRecord() else {
            throw problem.whole("has no end record: the zip file is truncated or damaged (an interrupted upload or copy?)")
        }
        if (end >= 20 && u32(end - 20) == 0x0706_4b50) || u16(end + 10) == 0xffff || u32(end + 16) == 0xffff_ffff {
            throw problem.whole("is a zip64 archive, which is not supported", "Make an ordinary zip (under 4 GB, fewer than 65 535 entries).")
        }
        guard u16(end + 4) == 0, u16(end + 6) == 0, u16(end + 8) == u16(end + 10) else {
            throw problem.whole("is a split (multi-part) zip, which is not supported", "Make the zip in one part.")
        }
        let count = Int(u16(end + 10))
        let (directory, directorySize) = (Int(u32(end + 16)), Int(u32(end + 12)))
        guard directory + directorySize <= end else {
            throw problem.whole("has a central directory outside the file: the zip is truncated or damaged")
        }
        if count > output.limits.maxEntries {
            throw problem.whole("has \(count) entries, more than the \(output.limits.maxEntries) accepted",
                                "Leave build products (.build) and data sets out of the archive.")
        }
        var at = directory
        var declared: UInt64 = 0
        for _ in 0..<count {
            guard at + 46 <= directory + directorySize, u32(at) == 0x0201_4b50 else {
                throw problem.whole("has a damaged central directory")
            }
            let nameLength = Int(u16(at + 28))
            let next = at + 46 + nameLength + Int(u16(at + 30)) + Int(u16(at + 32))
            guard next <= directory + directorySize else { throw problem.whole("has a damaged central directory") }
            let name = Array(bytes[(at + 46)..<(at + 46 + nameLength)])
            declared += UInt64(u32(at + 24))
            if Double(declared) > output.limits.maxRatio * Double(output.archiveBytes) {
                throw problem.entry(String(decoding: name, as: UTF8.self), "declares sizes that make the archive more than "
                                    + "\(Int(output.limits.maxRatio)) times its size: a zip bomb is not accepted", "Submit your source files only.")
            }
            try extractEntry(header: at, name: name, dataLimit: directory)
            at = next
        }
    }

    /// The offset of the end record: the last "PK\5\6" whose comment ends exactly at the end of the file.
    private func endRecord() -> Int? {
        guard bytes.count >= 22 else { return nil }
        for at in stride(from: bytes.count - 22, through: max(0, bytes.count - 22 - 0xffff), by: -1)
        where u32(at) == 0x0605_4b50 && at + 22 + Int(u16(at + 20)) == bytes.count {
            return at
        }
        return nil
    }

    /// Extracts the entry of the central header at `header`, whose data lies before `dataLimit`.
    private func extractEntry(header: Int, name nameBytes: [UInt8], dataLimit: Int) throws {
        guard let name = String(validating: nameBytes, as: UTF8.self) else {
            throw problem.entry(String(decoding: nameBytes, as: UTF8.self), "has a name that is not UTF-8", "Rename the file with plain letters.")
        }
        let (flags, method, crc) = (u16(header + 8), u16(header + 10), u32(header + 16))
        let (compressedSize, size, local) = (u32(header + 20), u32(header + 24), Int(u32(header + 42)))
        let (host, mode) = (u16(header + 4) >> 8, u32(header + 38) >> 16)
        if flags & 0x41 != 0 || method == 99 {
            throw problem.entry(name, "is encrypted (password-protected)", "Make the zip without a password.")
        }
        if compressedSize == 0xffff_ffff || size == 0xffff_ffff || local == 0xffff_ffff {
            throw problem.entry(name, "needs zip64, which is not supported", "Make an ordinary zip (under 4 GB).")
        }
        let type = host == 3 || mode != 0 ? mode & 0o170000 : 0
        switch type {
        case 0o120000:
            throw problem.entry(name, "is a symbolic link: links are not accepted",
                                "Replace links by the files themselves (or leave them out) and make the archive again.")
        case 0, 0o100000, 0o040000: break
        default: throw problem.entry(name, "is a device file, FIFO or socket: only regular files and folders are accepted")
        }
        if type == 0o040000 || name.hasSuffix("/") || (type == 0 && u32(header + 38) & 0x10 != 0) {
            try output.addFolder(name)
            return
        }
        guard method == 0 || method == 8 else {
            throw problem.entry(name, "uses compression method \(method); only stored (0) and deflate (8) are supported",
                                "Make the zip with the standard `zip` tool or your system's \"Compress\".")
        }
        guard local + 30 + nameBytes.count <= dataLimit, u32(local) == 0x0403_4b50,
              Int(u16(local + 26)) == nameBytes.count, bytes[(local + 30)..<(local + 30 + nameBytes.count)].elementsEqual(nameBytes) else {
            throw problem.entry(name, "has a damaged local header: the zip is damaged")
        }
        if u16(local + 6) & 0x8 == 0, u32(local + 14) != crc || u32(local + 18) != compressedSize || u32(local + 22) != size {
            throw problem.entry(name, "declares different sizes or CRC in its local header and in the central directory: the zip is damaged or crafted")
        }
        let start = local + 30 + nameBytes.count + Int(u16(local + 28))
        guard start + Int(compressedSize) <= dataLimit else {
            throw problem.entry(name, "has data past the end of the file's contents: the zip is truncated or damaged")
        }
        if UInt64(size) > output.limits.maxEntryBytes {
            throw problem.entry(name, "declares \(ArchiveOutput.size(UInt64(size))), more than the \(ArchiveOutput.size(output.limits.maxEntryBytes)) accepted for one file",
                                "Leave large files (data sets, trained models, logs) out of the archive.")
        }
        let file = try output.createFile(name)
        var (produced, actualCRC): (UInt64, UInt32) = (0, 0)
        let sink = { (chunk: UnsafeRawBufferPointer) throws in
            produced += UInt64(chunk.count)
            if produced > UInt64(size) {
                throw problem.entry(name, "inflates to more than the \(size) bytes it declares: the zip is damaged or crafted")
            }
            actualCRC = cns_crc32(actualCRC, chunk.baseAddress?.assumingMemoryBound(to: UInt8.self), chunk.count)
            try output.write(chunk, to: file)
        }
        try bytes.withUnsafeBytes { all in
            let data = UnsafeRawBufferPointer(rebasing: all[start..<(start + Int(compressedSize))])
            if method == 0 {
                for offset in stride(from: 0, to: data.count, by: 1 << 16) {
                    try sink(UnsafeRawBufferPointer(rebasing: data[offset..<min(data.count, offset + (1 << 16))]))
                }
                return
            }
            do { _ = try Inflater.inflate(data, gzip: false, sink: sink) } catch let failure as Inflater.Failure {
                throw failure.truncated ? problem.entry(name, "has compressed data that ends early: the zip is truncated or damaged")
                                        : problem.entry(name, "has damaged compressed data (\(failure.message))")
            }
        }
        guard produced == UInt64(size) else {
            throw problem.entry(name, "inflates to \(produced) bytes but declares \(size): the zip is damaged or crafted")
        }
        guard actualCRC == crc else {
            throw problem.entry(name, "has the wrong CRC-32 (the data differs from what was stored): the zip is damaged")
        }
    }
}
