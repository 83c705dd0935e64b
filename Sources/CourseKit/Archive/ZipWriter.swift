import CNeuralSupport
import Foundation

/// Writes a zip archive (used by `course export gradescope OUT.zip`): each file deflated through
/// zlib, or stored when deflate would not make it smaller. No zip64: at most 65 535 files and
/// 4 GiB. Entries are written in the order added, dated 1980-01-01 00:00 (the zip epoch) so that
/// the same files always give the same bytes, with UTF-8 names (flag bit 11) and their unix mode
/// in the top 16 bits of the external attributes ("made by" unix, so `unzip` restores it).
public struct ZipWriter: Sendable {
    /// One file to write.
    struct Entry: Sendable {
        let path: String
        let data: Data
        let mode: UInt16
    }

    private var entries: [Entry] = []

    public init() {}

    /// Adds a file.
    /// - Parameters:
    ///   - path: its path in the archive, relative, "/"-separated ("Sources/Model.swift"); checked by `write`.
    ///   - data: its contents.
    ///   - mode: unix permissions recorded in the external attributes (0o755 for scripts).
    public mutating func add(path: String, data: Data, mode: UInt16 = 0o644) {
        entries.append(Entry(path: path, data: data, mode: mode & 0o7777))
    }

    /// Adds every regular file under `folder` (sorted, relative paths), skipping names for which
    /// `exclude` is true. Links are not followed and not added; files with an execute bit get mode
    /// 0o755, the others 0o644.
    /// - Parameters:
    ///   - folder: the folder to add.
    ///   - prefix: a folder path inside the archive to put them in ("" for the top).
    ///   - exclude: given each relative path ("Sources/A.swift", ".build"); true skips that file,
    ///     or that folder with everything in it.
    public mutating func addFolder(_ folder: URL, as prefix: String = "", exclude: (String) -> Bool = { _ in false }) throws {
        let fm = FileManager.default
        var files: [(path: String, mode: UInt16)] = []
        func walk(_ relative: String) throws {
            let here = relative.isEmpty ? folder : folder.appendingPathComponent(relative)
            for name in try fm.contentsOfDirectory(atPath: here.path) {
                let path = relative.isEmpty ? name : relative + "/" + name
                if exclude(path) { continue }
                let attributes = try fm.attributesOfItem(atPath: folder.appendingPathComponent(path).path)
                let type = attributes[.type] as? FileAttributeType
                if type == .typeDirectory { try walk(path) }
                if type == .typeRegular {
                    let permissions = (attributes[.posixPermissions] as? NSNumber)?.uint16Value ?? 0o644
                    files.append((path, permissions & 0o111 != 0 ? 0o755 : 0o644))
                }
            }
        }
        try walk("")
        let top = prefix.hasSuffix("/") ? String(prefix.dropLast()) : prefix
        for file in files.sorted(by: { $0.path < $1.path }) {
            let data = try Data(contentsOf: folder.appendingPathComponent(file.path))
            add(path: top.isEmpty ? file.path : top + "/" + file.path, data: data, mode: file.mode)
        }
    }

    /// Writes the archive to `file` (replacing it). Throws if a path is empty, absolute, has `..`,
    /// a backslash or NUL, appears twice, or the archive would need zip64.
    /// - Parameter file: where to write the zip.
    public func write(to file: URL) throws {
        guard entries.count < 0xffff else { throw CourseError("Cannot write \(file.lastPathComponent): \(entries.count) files, more than a zip without zip64 holds (65 534).") }
        var seen: Set<String> = []
        var archive = [UInt8]()
        var directory = [UInt8]()
        for entry in entries {
            let parts = entry.path.split(separator: "/", omittingEmptySubsequences: false)
            guard !entry.path.isEmpty, !entry.path.hasPrefix("/"), !parts.contains(".."), !parts.contains(""),
                  !entry.path.contains("\\"), !entry.path.contains("\0") else {
                throw CourseError("Cannot write \(file.lastPathComponent): the path '\(entry.path)' is not a relative path without '..', '//', backslashes or NUL.")
            }
            guard seen.insert(entry.path).inserted else { throw CourseError("Cannot write \(file.lastPathComponent): '\(entry.path)' is added twice.") }
            let crc = entry.data.withUnsafeBytes { cns_crc32(0, $0.baseAddress?.assumingMemoryBound(to: UInt8.self), $0.count) }
            let deflated = try ZipWriter.deflate(entry.data)
            let (method, body): (UInt32, [UInt8]) = deflated.count < entry.data.count ? (8, deflated) : (0, [UInt8](entry.data))
            let offset = archive.count
            guard entry.data.count < 0xffff_ffff, offset + body.count < 0xffff_ffff else {
                throw CourseError("Cannot write \(file.lastPathComponent): more than 4 GiB, which needs zip64.")
            }
            let name = [UInt8](entry.path.utf8)
            // Fields shared by both headers: version needed 2.0, flags (UTF-8 names), method,
            // time 00:00, date 1980-01-01, CRC-32, compressed size, size, name length, extra length.
            var common = [UInt8]()
            for (value, width) in [(20, 2), (0x0800, 2), (Int(method), 2), (0, 2), (0x21, 2), (Int(crc), 4),
                                   (body.count, 4), (entry.data.count, 4), (name.count, 2), (0, 2)] as [(Int, Int)] {
                common.append(littleEndian: UInt32(truncatingIfNeeded: value), width: width)
            }
            archive.append(littleEndian: 0x0403_4b50, width: 4)
            archive += common + name + body                                         // a local header has no "made by"
            directory.append(littleEndian: 0x0201_4b50, width: 4)
            directory.append(littleEndian: 0x031e, width: 2)                        // made by: unix, zip 3.0
            directory += common
            directory.append(littleEndian: 0, width: 2)                             // comment length
            directory.append(littleEndian: 0, width: 2)                             // disk
            directory.append(littleEndian: 0, width: 2)                             // internal attributes
            directory.append(littleEndian: (0o100000 | UInt32(entry.mode)) << 16, width: 4)
            directory.append(littleEndian: UInt32(offset), width: 4)
            directory += name
        }
        guard archive.count + directory.count < 0xffff_ffff else {
            throw CourseError("Cannot write \(file.lastPathComponent): more than 4 GiB, which needs zip64.")
        }
        let start = archive.count
        archive += directory
        archive.append(littleEndian: 0x0605_4b50, width: 4)
        for (value, width) in [(0, 2), (0, 2), (entries.count, 2), (entries.count, 2), (directory.count, 4), (start, 4), (0, 2)] {
            archive.append(littleEndian: UInt32(value), width: width)
        }
        try Data(archive).write(to: file, options: .atomic)
    }

    /// `data` compressed as raw deflate (zip method 8), at zlib's default level.
    static func deflate(_ data: Data) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: cns_raw_deflate_bound(data.count))
        var size = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = data.withUnsafeBytes { input in
            cns_raw_deflate(input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count, -1,
                            &output, output.count, &size, &message, message.count)
        }
        guard status == CNS_OK else {
            throw CourseError("Cannot compress: \(String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)).")
        }
        return Array(output.prefix(size))
    }
}

extension Array where Element == UInt8 {
    /// Appends the low `width` bytes of `value`, least significant first.
    mutating func append(littleEndian value: UInt32, width: Int) {
        for i in 0..<width { append(UInt8(truncatingIfNeeded: value >> (8 * UInt32(i)))) }
    }
}
