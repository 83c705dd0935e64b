import CNeuralSupport
import Foundation
import Testing
@testable import CourseKit

/// Archives built here byte by byte: raw zip entries (stored, any name, mode, flags, method or
/// CRC), raw tar headers (any name and typeflag), and gzip through CNeuralSupport.
enum ArchiveBytes {
    /// One stored zip entry; `mode` goes to the top 16 bits of the external attributes.
    struct ZipEntry {
        var name: String
        var data: [UInt8] = []
        var mode: UInt32 = 0o100644
        var flags: UInt32 = 0
        var method: UInt32 = 0
        var crc: UInt32? = nil
    }

    static func zip(_ entries: [ZipEntry]) -> [UInt8] {
        var archive = [UInt8](), directory = [UInt8]()
        for entry in entries {
            let name = [UInt8](entry.name.utf8)
            let crc = entry.crc ?? cns_crc32(0, entry.data, entry.data.count)
            var common = [UInt8]()
            for (value, width) in [(20, 2), (entry.flags, 2), (entry.method, 2), (0, 2), (0x21, 2), (crc, 4),
                                   (UInt32(entry.data.count), 4), (UInt32(entry.data.count), 4), (UInt32(name.count), 2), (0, 2)] as [(UInt32, Int)] {
                common.append(littleEndian: value, width: width)
            }
            let offset = UInt32(archive.count)
            archive.append(littleEndian: 0x0403_4b50, width: 4)
            archive += common + name + entry.data
            directory.append(littleEndian: 0x0201_4b50, width: 4)
            directory.append(littleEndian: 0x031e, width: 2)
            directory += common
            for (value, width) in [(0, 2), (0, 2), (0, 2), (entry.mode << 16, 4), (offset, 4)] as [(UInt32, Int)] {
                directory.append(littleEndian: value, width: width)
            }
            directory += name
        }
        let start = UInt32(archive.count)
        archive += directory
        for (value, width) in [(0x0605_4b50, 4), (0, 2), (0, 2), (UInt32(entries.count), 2), (UInt32(entries.count), 2),
                               (UInt32(directory.count), 4), (start, 4), (0, 2)] as [(UInt32, Int)] {
            archive.append(littleEndian: value, width: width)
        }
        return archive
    }

    /// A ustar header + data + padding. `type` is the typeflag character.
    static func tarEntry(_ name: String, type: Character = "0", data: [UInt8] = [], link: String = "") -> [UInt8] {
        var header = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int) { for (i, byte) in text.utf8.enumerated() { header[offset + i] = byte } }
        put(name, at: 0)
        put("0000644", at: 100); put("0000000", at: 108); put("0000000", at: 116)
        put(String(format: "%011o", data.count), at: 124)
        put("00000000000", at: 136)
        header[156] = type.asciiValue!
        put(link, at: 157)
        put("ustar", at: 257); put("00", at: 263)
        put("        ", at: 148)
        put(String(format: "%06o", header.reduce(0) { $0 + Int($1) }) + "\0 ", at: 148)
        return header + data + [UInt8](repeating: 0, count: (512 - data.count % 512) % 512)
    }

    /// Entries followed by the two zero blocks that end a tar stream.
    static func tar(_ entries: [[UInt8]]) -> [UInt8] { entries.flatMap { $0 } + [UInt8](repeating: 0, count: 1024) }

    static func gzip(_ bytes: [UInt8]) -> [UInt8] {
        var output = [UInt8](repeating: 0, count: cns_gzip_deflate_bound(bytes.count))
        var size = 0
        let status = cns_gzip_deflate(bytes, bytes.count, 6, &output, output.count, &size, nil, 0)
        precondition(status == CNS_OK)
        return Array(output.prefix(size))
    }

    /// `count` bytes from a seeded SplitMix64 (incompressible, reproducible).
    static func random(_ count: Int, seed: UInt64) -> [UInt8] {
        var state = seed
        return (0..<count).map { _ in
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            return UInt8(truncatingIfNeeded: z ^ (z >> 31))
        }
    }
}

/// A hostile archive, the limits it is extracted with, and what the refusal must say.
struct HostileArchive: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    /// Text the message must contain: the offending entry, and the reason.
    let mentions: [String]
    var limits = ArchiveLimits()
    var testDescription: String { name }

    static var all: [HostileArchive] {
        typealias Z = ArchiveBytes.ZipEntry
        let tar = ArchiveBytes.tar, zip = ArchiveBytes.zip
        func entry(_ name: String, type: Character = "0", data: [UInt8] = [], link: String = "") -> [UInt8] {
            ArchiveBytes.tarEntry(name, type: type, data: data, link: link)
        }
        let noise = ArchiveBytes.random(600, seed: 7)
        var writer = ZipWriter()
        writer.add(path: "zeros.bin", data: Data(count: 50 << 20))
        var lying = ZipWriter()
        lying.add(path: "lies.bin", data: Data(count: 100_000))
        let lie = patched(written(lying)) { bytes, directory in
            for at in [22, directory + 24] { bytes[at] = 10; bytes[at + 1] = 0; bytes[at + 2] = 0; bytes[at + 3] = 0 }
        }
        let good = written({ var w = ZipWriter(); w.add(path: "a.txt", data: Data(noise)); return w }())
        return [
            HostileArchive(name: "zip ../evil", bytes: zip([Z(name: "../evil", data: [1])]), mentions: ["'../evil'", ".."]),
            HostileArchive(name: "zip a/../../evil", bytes: zip([Z(name: "a/../../evil", data: [1])]), mentions: ["'a/../../evil'", ".."]),
            HostileArchive(name: "zip /etc/evil", bytes: zip([Z(name: "/etc/evil", data: [1])]), mentions: ["'/etc/evil'", "absolute"]),
            HostileArchive(name: "zip backslash", bytes: zip([Z(name: "..\\evil", data: [1])]), mentions: ["evil'", "backslash"]),
            HostileArchive(name: "tar ../evil", bytes: tar([entry("../evil", data: [1])]), mentions: ["'../evil'", ".."]),
            HostileArchive(name: "tar /etc/evil", bytes: tar([entry("/etc/evil", data: [1])]), mentions: ["'/etc/evil'", "absolute"]),
            HostileArchive(name: "zip symlink", bytes: zip([Z(name: "link", data: Array("/tmp".utf8), mode: 0o120777), Z(name: "link/x", data: [1])]),
                           mentions: ["'link'", "links are not accepted"]),
            HostileArchive(name: "tar-slip through a symlink", bytes: tar([entry("link", type: "2", link: "/tmp"), entry("link/x", data: [1])]),
                           mentions: ["'link'", "links are not accepted"]),
            HostileArchive(name: "tar hard link", bytes: tar([entry("a", data: [1]), entry("hard", type: "1", link: "a")]),
                           mentions: ["'hard'", "links are not accepted"]),
            HostileArchive(name: "tar char device", bytes: tar([entry("tty", type: "3")]), mentions: ["'tty'", "device"]),
            HostileArchive(name: "tar FIFO", bytes: tar([entry("pipe", type: "6")]), mentions: ["'pipe'", "FIFO"]),
            HostileArchive(name: "zip FIFO", bytes: zip([Z(name: "pipe", mode: 0o010644)]), mentions: ["'pipe'", "FIFO"]),
            HostileArchive(name: "zip bomb", bytes: written(writer), mentions: ["'zeros.bin'", "zip bomb"]),
            HostileArchive(name: "tar.gz bomb", bytes: ArchiveBytes.gzip(tar([entry("zeros.bin", data: [UInt8](repeating: 0, count: 20 << 20))])),
                           mentions: ["'zeros.bin'", "zip bomb"]),
            HostileArchive(name: "total too large", bytes: zip([Z(name: "a", data: noise), Z(name: "b", data: noise)]),
                           mentions: ["'b'", "in all"], limits: ArchiveLimits(maxTotalBytes: 1000)),
            HostileArchive(name: "file too large", bytes: tar([entry("big", data: noise)]), mentions: ["'big'", "one file"],
                           limits: ArchiveLimits(maxEntryBytes: 500)),
            HostileArchive(name: "too many entries (tar)", bytes: tar((0..<5).map { entry("f\($0)", data: [1]) }), mentions: ["'f3'", "more than 3"],
                           limits: ArchiveLimits(maxEntries: 3)),
            HostileArchive(name: "too many entries (zip)", bytes: zip((0..<5).map { Z(name: "f\($0)", data: [1]) }), mentions: ["5 entries", "more than the 3"],
                           limits: ArchiveLimits(maxEntries: 3)),
            HostileArchive(name: "declared size lies", bytes: lie, mentions: ["'lies.bin'", "more than the 10 bytes it declares"]),
            HostileArchive(name: "local header disagrees", bytes: patched(good) { bytes, _ in bytes[22] = 10; bytes[23] = 0 },
                           mentions: ["'a.txt'", "different sizes"]),
            HostileArchive(name: "CRC mismatch", bytes: zip([Z(name: "a.txt", data: noise, crc: 1234)]), mentions: ["'a.txt'", "CRC"]),
            HostileArchive(name: "duplicate paths", bytes: zip([Z(name: "a.txt", data: [1]), Z(name: "./a.txt", data: [2])]), mentions: ["'a.txt'", "twice"]),
            HostileArchive(name: "encrypted", bytes: zip([Z(name: "secret", data: [1], flags: 1)]), mentions: ["'secret'", "encrypted"]),
            HostileArchive(name: "bzip2 method", bytes: zip([Z(name: "b.txt", data: [1], method: 12)]), mentions: ["'b.txt'", "method 12"]),
            HostileArchive(name: "truncated zip", bytes: Array(good.prefix(good.count / 2)), mentions: ["sub.zip", "truncated"]),
            HostileArchive(name: "truncated tar", bytes: Array(tar([entry("a.txt", data: noise)]).prefix(700)), mentions: ["'a.txt'", "truncated"]),
            HostileArchive(name: "truncated tar.gz", bytes: { let g = ArchiveBytes.gzip(tar([entry("a.txt", data: noise)])); return Array(g.prefix(g.count - 30)) }(),
                           mentions: ["sub.zip", "truncated"]),
            HostileArchive(name: "zip64", bytes: patched(zip([Z(name: "huge", data: [1])])) { bytes, directory in
                for i in 0..<4 { bytes[directory + 20 + i] = 0xff }
            }, mentions: ["'huge'", "zip64"]),
            HostileArchive(name: "tar folder with an absurd size", bytes: tar([absurd(entry("dir/", type: "5"))]), mentions: ["'dir/'", "size"]),
            HostileArchive(name: "not an archive", bytes: Array("just some text, not an archive\n".utf8), mentions: ["sub.zip", "not a zip"]),
        ]
    }

    /// A tar header whose size field is GNU base-256 2⁶⁴ − 1, its checksum recomputed.
    static func absurd(_ header: [UInt8]) -> [UInt8] {
        var copy = header
        copy.replaceSubrange(124..<136, with: [0x80, 0, 0, 0] + [UInt8](repeating: 0xff, count: 8))
        copy.replaceSubrange(148..<156, with: Array("        ".utf8))
        copy.replaceSubrange(148..<156, with: Array(String(format: "%06o", copy.reduce(0) { $0 + Int($1) }).utf8) + [0, 32])
        return copy
    }

    static func written(_ writer: ZipWriter) -> [UInt8] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("zip-\(UUID().uuidString).zip")
        defer { try? FileManager.default.removeItem(at: file) }
        try! writer.write(to: file)
        return [UInt8](try! Data(contentsOf: file))
    }

    /// `bytes` changed by `change`, given the offset of the (first) central directory header.
    static func patched(_ bytes: [UInt8], _ change: (inout [UInt8], Int) -> Void) -> [UInt8] {
        var copy = bytes
        let end = bytes.count - 22
        let directory = Int(bytes[end + 16]) | Int(bytes[end + 17]) << 8 | Int(bytes[end + 18]) << 16 | Int(bytes[end + 19]) << 24
        change(&copy, directory)
        return copy
    }
}

@Suite struct ArchiveTests {
    /// A scratch folder `box` holding an empty `sentinel` folder; archives are extracted to box/dest.
    struct Scratch {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("archive-\(UUID().uuidString.prefix(8))")
        var box: URL { root.appendingPathComponent("box") }
        var destination: URL { box.appendingPathComponent("dest") }
        var sentinel: URL { box.appendingPathComponent("sentinel") }
        init() throws { try FileManager.default.createDirectory(at: sentinel, withIntermediateDirectories: true) }
        func file(_ name: String, _ bytes: [UInt8]) throws -> URL {
            let url = root.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            return url
        }
        func remove() { try? FileManager.default.removeItem(at: root) }
    }

    static func contents(_ url: URL) -> [UInt8]? { FileManager.default.contents(atPath: url.path).map { [UInt8]($0) } }

    static func permissions(_ url: URL) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions]) as? NSNumber)?.intValue ?? -1
    }

    /// The unix mode recorded in the central directory for `name` in the zip `bytes`.
    static func recordedMode(of name: String, in bytes: [UInt8]) -> UInt32? {
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) | UInt32(u16(at + 2)) << 16 }
        var at = Int(u32(bytes.count - 22 + 16))
        while u32(at) == 0x0201_4b50 {
            let length = u16(at + 28)
            if bytes[(at + 46)..<(at + 46 + length)].elementsEqual(name.utf8) { return u32(at + 38) >> 16 }
            at += 46 + length + u16(at + 30) + u16(at + 32)
        }
        return nil
    }

    @Test func zipWriterRoundTripKeepsFoldersEmptyFilesLargeFilesAndModes() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let text = Array(String(repeating: "let x = 1 // deflated\n", count: 500).utf8)
        let random = ArchiveBytes.random(1 << 20, seed: 2026)
        var writer = ZipWriter()
        writer.add(path: "Sources/Model/Layer.swift", data: Data(text))
        writer.add(path: "empty.txt", data: Data())
        writer.add(path: "data/random.bin", data: Data(random))
        writer.add(path: "run.sh", data: Data("#!/bin/sh\n".utf8), mode: 0o755)
        let zip = try scratch.file("sub.zip", [])
        try writer.write(to: zip)
        let bytes = Self.contents(zip)!
        #expect(bytes.count < text.count + random.count, "the text file is deflated")
        #expect(Self.recordedMode(of: "run.sh", in: bytes) == 0o100755)
        #expect(Self.recordedMode(of: "empty.txt", in: bytes) == 0o100644)
        #expect(Archive.kind(of: zip) == .zip)

        let paths = try Archive.extract(zip, into: scratch.destination)
        #expect(paths == ["Sources/Model/Layer.swift", "empty.txt", "data/random.bin", "run.sh"])
        let d = scratch.destination
        #expect(Self.contents(d.appendingPathComponent("Sources/Model/Layer.swift")) == text)
        #expect(Self.contents(d.appendingPathComponent("empty.txt")) == [])
        #expect(Self.contents(d.appendingPathComponent("data/random.bin")) == random)
        #expect(Self.permissions(d.appendingPathComponent("run.sh")) == 0o644, "archive modes are not applied")
        #expect(Self.permissions(d.appendingPathComponent("Sources/Model")) == 0o755)
    }

    @Test func addFolderAddsSortedRegularFilesWithoutExcludedOnesOrLinks() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let fm = FileManager.default
        let folder = scratch.root.appendingPathComponent("workspace")
        for (path, text) in [("b.swift", "b"), ("a/z.swift", "z"), ("a.txt", "t"), (".build/x.o", "o"), ("tools/run.sh", "#!")] {
            try fm.createDirectory(at: folder.appendingPathComponent(path).deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: folder.appendingPathComponent(path))
        }
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.appendingPathComponent("tools/run.sh").path)
        try fm.createSymbolicLink(atPath: folder.appendingPathComponent("link").path, withDestinationPath: "/etc/hostname")
        var writer = ZipWriter()
        try writer.addFolder(folder, as: "ws/", exclude: { $0 == ".build" })
        let zip = try scratch.file("sub.zip", [])
        try writer.write(to: zip)
        #expect(Self.recordedMode(of: "ws/tools/run.sh", in: Self.contents(zip)!) == 0o100755)
        let paths = try Archive.extract(zip, into: scratch.destination)
        #expect(paths == ["ws/a.txt", "ws/a/z.swift", "ws/b.swift", "ws/tools/run.sh"])
        #expect(Self.contents(scratch.destination.appendingPathComponent("ws/a/z.swift")) == Array("z".utf8))
    }

    @Test func tarGzipAndTarRoundTripWithLongNamesAndPaxPaths() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let long = String(repeating: "deep/", count: 30) + "file.swift"        // 160 bytes: over the 100 of a header
        let record = " path=pax/\u{e9}t\u{e9}.txt\n"
        let pax = Array("\(record.utf8.count + 2)\(record)".utf8)     // the length counts its own two digits
        let random = ArchiveBytes.random(5000, seed: 15)
        let stream = ArchiveBytes.tar([
            ArchiveBytes.tarEntry("pkg/", type: "5"),
            ArchiveBytes.tarEntry("pkg/a.swift", data: random),
            ArchiveBytes.tarEntry("././@LongLink", type: "L", data: Array(long.utf8) + [0]),
            ArchiveBytes.tarEntry("ignored", data: Array("long".utf8)),
            ArchiveBytes.tarEntry("PaxHeaders/x", type: "x", data: pax),
            ArchiveBytes.tarEntry("ignored-too", data: Array("pax".utf8)),
        ])
        for (name, bytes, kind) in [("sub.tar.gz", ArchiveBytes.gzip(stream), ArchiveKind.tarGzip), ("sub.tar", stream, .tar)] {
            let file = try scratch.file(name, bytes)
            #expect(Archive.kind(of: file) == kind)
            let paths = try Archive.extract(file, into: scratch.destination)
            #expect(paths == ["pkg", "pkg/a.swift", long, "pax/\u{e9}t\u{e9}.txt"], "\(name)")
            #expect(Self.contents(scratch.destination.appendingPathComponent("pkg/a.swift")) == random)
            #expect(Self.contents(scratch.destination.appendingPathComponent(long)) == Array("long".utf8))
            #expect(Self.contents(scratch.destination.appendingPathComponent("pax/\u{e9}t\u{e9}.txt")) == Array("pax".utf8))
            try FileManager.default.removeItem(at: scratch.destination)
        }
    }

    @Test(arguments: HostileArchive.all)
    func hostileArchivesAreRefusedAndNothingIsWrittenOutside(_ hostile: HostileArchive) throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let file = try scratch.file("sub.zip", hostile.bytes)           // the name says zip: the kind comes from the bytes
        let error = #expect(throws: CourseError.self) { try Archive.extract(file, into: scratch.destination, limits: hostile.limits) }
        let message = error?.description ?? ""
        for text in hostile.mentions { #expect(message.contains(text), "\(message)") }
        let fm = FileManager.default
        #expect(!fm.fileExists(atPath: scratch.destination.path), "the destination is removed")
        #expect(try fm.contentsOfDirectory(atPath: scratch.box.path) == ["sentinel"])
        #expect(try fm.contentsOfDirectory(atPath: scratch.sentinel.path) == [])
        #expect(try fm.contentsOfDirectory(atPath: scratch.root.path).sorted() == ["box", "sub.zip"])
        #expect(!fm.fileExists(atPath: "/etc/evil"))
    }

    @Test func kindIsReadFromTheBytesNotTheName() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let tar = ArchiveBytes.tar([ArchiveBytes.tarEntry("a", data: [1])])
        #expect(Archive.kind(of: try scratch.file("a.tar.gz", ArchiveBytes.zip([.init(name: "a")]))) == .zip)
        #expect(Archive.kind(of: try scratch.file("b.zip", ArchiveBytes.gzip(tar))) == .tarGzip)
        #expect(Archive.kind(of: try scratch.file("c.zip", tar)) == .tar)
        #expect(Archive.kind(of: try scratch.file("d.zip", Array("hello".utf8))) == nil)
        #expect(Archive.kind(of: try scratch.file("e.tar", [UInt8](repeating: 0, count: 1024))) == nil)
        #expect(Archive.kind(of: scratch.root.appendingPathComponent("missing.zip")) == nil)
        let fifo = scratch.root.appendingPathComponent("fifo.zip")
        try #require(mkfifo(fifo.path, 0o644) == 0)
        #expect(Archive.kind(of: fifo) == nil, "a FIFO is not read (it would block)")
        #expect(throws: CourseError.self) { try Archive.extract(fifo, into: scratch.destination) }
        #expect(!FileManager.default.fileExists(atPath: scratch.destination.path))
    }

    @Test func aNonEmptyDestinationIsRefusedAndLeftAlone() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let zip = try scratch.file("sub.zip", ArchiveBytes.zip([.init(name: "a.txt", data: [1])]))
        #expect(throws: CourseError.self) { try Archive.extract(zip, into: scratch.box) }
        #expect(FileManager.default.fileExists(atPath: scratch.sentinel.path))
        #expect(try Archive.extract(zip, into: scratch.sentinel) == ["a.txt"], "an empty folder is accepted")
    }

    @Test func entriesWithDataDescriptorsAreReadFromTheCentralDirectory() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        var bytes = ArchiveBytes.zip([.init(name: "streamed.txt", data: Array("written by a stream".utf8), flags: 0x8)])
        for at in 14..<26 { bytes[at] = 0 }                               // bit 3: the local CRC and sizes are zero
        let zip = try scratch.file("sub.zip", bytes)
        #expect(try Archive.extract(zip, into: scratch.destination) == ["streamed.txt"])
        #expect(Self.contents(scratch.destination.appendingPathComponent("streamed.txt")) == Array("written by a stream".utf8))
    }

    @Test func setuidAndOtherArchiveModesAreIgnored() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let zip = try scratch.file("sub.zip", ArchiveBytes.zip([.init(name: "tool", data: [1], mode: 0o104777)]))
        try Archive.extract(zip, into: scratch.destination)
        #expect(Self.permissions(scratch.destination.appendingPathComponent("tool")) == 0o644)
    }
}
