import Foundation

/// Extracts a tar stream: ustar and GNU headers, pax extended headers ('x': `path` and `size`;
/// 'g' is read and ignored) and GNU long names ('L'). Typeflags '0', '\0' and '7' are files,
/// '5' folders; links ('1', '2'), devices ('3', '4'), FIFOs ('6') and every other type are refused.
///
/// A stream is a sequence of 512-byte blocks: a header, then the entry's `size` bytes padded to a
/// multiple of 512; one zero block ends it. Header fields used (offset, length): name (0, 100),
/// size (124, 12, octal or GNU base-256), checksum (148, 8), typeflag (156, 1), magic (257, 6),
/// prefix (345, 155, ustar only: the path is prefix + "/" + name).
struct TarReader<Source: ByteSource> {
    /// The tar stream.
    var source: Source
    let output: ArchiveOutput
    /// Bytes of headers, extended headers and padding so far.
    private var metadata: UInt64 = 0

    init(source: Source, output: ArchiveOutput) {
        self.source = source
        self.output = output
    }

    private var problem: ArchiveProblem { output.problem }

    mutating func extract() throws {
        var longName: String? = nil                 // from an 'L' entry or a pax `path`
        var paxSize: UInt64? = nil                  // from a pax `size`
        var previous = "(the first entry)"
        while true {
            guard let header = try block(after: previous) else { return }       // no end marker: tolerated
            if header.allSatisfy({ $0 == 0 }) { return }
            guard TarReader.checksumMatches(header) else {
                throw previous == "(the first entry)"
                    ? problem.whole("is not a tar archive (its first header's checksum is wrong)")
                    : problem.whole("the header after entry \(ArchiveProblem.quoted(previous)) is damaged (wrong checksum)")
            }
            let name = try longName ?? headerName(header)
            guard let size = paxSize ?? TarReader.number(header[124..<136]), size < 1 << 62 else {
                throw problem.entry(name, "has an unreadable size field: the archive is damaged")
            }
            let type = header[156]
            switch type {
            case UInt8(ascii: "0"), 0, UInt8(ascii: "7"):
                if type != UInt8(ascii: "7"), name.hasSuffix("/"), size == 0 { try output.addFolder(name) }   // old tars' folders
                else { try copyFile(name, size: size) }
                try skip(padding(size), after: name)
            case UInt8(ascii: "5"):
                try output.addFolder(name)
                try skip(size + padding(size), after: name)
            case UInt8(ascii: "x"), UInt8(ascii: "g"), UInt8(ascii: "L"), UInt8(ascii: "K"):
                guard size <= 1 << 16 else { throw problem.entry(name, "has an extended header of \(size) bytes, over the 64 KB accepted") }
                let data = try bytes(Int(size), after: name)
                try skip(padding(size), after: name)
                if type == UInt8(ascii: "L") {
                    longName = try decode(Array(data.prefix { $0 != 0 }), near: name)
                } else if type == UInt8(ascii: "x") {
                    for (key, value) in try paxRecords(data, near: name) {
                        if key == "path" { longName = try decode(value, near: name) }
                        if key == "size" {
                            guard let size = UInt64(String(decoding: value, as: UTF8.self)) else {
                                throw problem.entry(name, "has a pax size that is not a number: the archive is damaged")
                            }
                            paxSize = size
                        }
                    }
                }
                continue                                // the next header is the entry these describe
            case UInt8(ascii: "1"), UInt8(ascii: "2"):
                throw problem.entry(name, "is a \(type == UInt8(ascii: "1") ? "hard" : "symbolic") link: links are not accepted",
                                    "Replace links by the files themselves (or leave them out) and make the archive again.")
            case UInt8(ascii: "3"), UInt8(ascii: "4"), UInt8(ascii: "6"):
                throw problem.entry(name, "is a device file or a FIFO: only regular files and folders are accepted")
            default:
                throw problem.entry(name, "has tar type '\(ArchiveProblem.quoted(String(UnicodeScalar(type))))': only regular files and folders are accepted")
            }
            previous = name
            longName = nil
            paxSize = nil
        }
    }

    /// Streams the `size` bytes of a file entry into a new file.
    private mutating func copyFile(_ name: String, size: UInt64) throws {
        let file = try output.createFile(name)
        var left = size
        while left > 0 {
            let chunk = try source.read(upTo: Int(min(left, 1 << 16)))
            guard !chunk.isEmpty else { throw truncated(name) }
            try chunk.withUnsafeBytes { try output.write($0, to: file) }
            left -= UInt64(chunk.count)
        }
    }

    /// The next 512-byte header block; nil at the very end of the stream.
    private mutating func block(after name: String) throws -> [UInt8]? {
        let first = try source.read(upTo: 512)
        if first.isEmpty { return nil }
        var header = Array(first)
        while header.count < 512 {
            let more = try source.read(upTo: 512 - header.count)
            guard !more.isEmpty else { throw truncated(name) }
            header += more
        }
        try countMetadata(512)
        return header
    }

    /// Exactly `count` bytes of an extended header, counted as metadata.
    private mutating func bytes(_ count: Int, after name: String) throws -> [UInt8] {
        try countMetadata(UInt64(count))
        var data: [UInt8] = []
        while data.count < count {
            let more = try source.read(upTo: count - data.count)
            guard !more.isEmpty else { throw truncated(name) }
            data += more
        }
        return data
    }

    /// Reads and drops `count` bytes (padding, data of folders), counted as metadata.
    private mutating func skip(_ count: UInt64, after name: String) throws {
        try countMetadata(count)
        var left = count
        while left > 0 {
            let chunk = try source.read(upTo: Int(min(left, 1 << 16)))
            guard !chunk.isEmpty else { throw truncated(name) }
            left -= UInt64(chunk.count)
        }
    }

    private mutating func countMetadata(_ count: UInt64) throws {
        metadata = count > output.limits.maxTarMetadataBytes ? count : metadata + count
        if metadata > output.limits.maxTarMetadataBytes {
            throw problem.whole("has more than \(ArchiveOutput.size(output.limits.maxTarMetadataBytes)) of tar headers and padding")
        }
    }

    private func padding(_ size: UInt64) -> UInt64 { (512 - size % 512) % 512 }

    private func truncated(_ name: String) -> CourseError {
        problem.entry(name, "is cut short: the archive is truncated (an interrupted upload or copy?)")
    }

    /// The path of a ustar or GNU header: prefix + "/" + name for ustar, name alone otherwise.
    private func headerName(_ header: [UInt8]) throws -> String {
        func field(_ range: Range<Int>) -> [UInt8] { Array(header[range].prefix { $0 != 0 }) }
        let name = field(0..<100)
        let isUstar = header[257..<263].elementsEqual("ustar\0".utf8)
        let prefix = isUstar ? field(345..<500) : []
        return try decode(prefix.isEmpty ? name : prefix + [UInt8(ascii: "/")] + name, near: "(an entry)")
    }

    private func decode(_ bytes: [UInt8], near name: String) throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw problem.entry(String(decoding: bytes, as: UTF8.self), "has a name that is not UTF-8", "Rename the file with plain letters.")
        }
        return text
    }

    /// The records "LENGTH key=value\n" of a pax extended header.
    private func paxRecords(_ data: [UInt8], near name: String) throws -> [(String, [UInt8])] {
        var records: [(String, [UInt8])] = []
        var at = 0
        while at < data.count, data[at] != 0 {
            guard let space = data[at...].firstIndex(of: UInt8(ascii: " ")),
                  let length = Int(String(decoding: data[at..<space], as: UTF8.self)), length > space - at,
                  at + length <= data.count, data[at + length - 1] == UInt8(ascii: "\n"),
                  let equals = data[(space + 1)..<(at + length)].firstIndex(of: UInt8(ascii: "=")) else {
                throw problem.entry(name, "has a damaged pax extended header")
            }
            records.append((String(decoding: data[(space + 1)..<equals], as: UTF8.self), Array(data[(equals + 1)..<(at + length - 1)])))
            at += length
        }
        return records
    }

    /// Whether the header's checksum field (octal) equals the sum of its bytes, the field counted as spaces.
    static func checksumMatches(_ header: [UInt8]) -> Bool {
        guard let stored = number(header[148..<156]) else { return false }
        var sum: UInt64 = 0
        for (i, byte) in header.enumerated() { sum += (148..<156).contains(i) ? 32 : UInt64(byte) }
        return sum == stored
    }

    /// A numeric field: octal digits (leading spaces, ended by NUL or space), or GNU base-256
    /// (first byte 0x80, then big-endian). nil if malformed or negative.
    static func number(_ field: ArraySlice<UInt8>) -> UInt64? {
        if let first = field.first, first & 0x80 != 0 {
            guard first == 0x80, field.dropFirst().dropLast(8).allSatisfy({ $0 == 0 }) else { return nil }
            return field.dropFirst().reduce(0) { $0 << 8 | UInt64($1) }
        }
        var value: UInt64 = 0
        var digits = 0
        for byte in field.drop(while: { $0 == 32 }) {
            if byte == 0 || byte == 32 { break }
            guard (48...55).contains(byte), value >> 60 == 0 else { return nil }
            value = value << 3 | UInt64(byte - 48)
            digits += 1
        }
        return digits > 0 || field.allSatisfy({ $0 == 0 || $0 == 32 }) ? value : nil
    }
}
