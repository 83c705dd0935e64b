import Foundation

/// The undefined symbols of a compiled object file: the outside functions and data its code uses.
/// ELF (Linux) is read here; Mach-O (macOS) through `nm -u`.
enum ObjectSymbols {
    static func undefined(in file: URL) -> [String]? {
        guard let data = try? Data(contentsOf: file) else { return nil }
        if data.count > 64, data.prefix(4) == Data([0x7f, 0x45, 0x4c, 0x46]) { return elfUndefined(data) }
        return nmUndefined(file)
    }

    /// A 64-bit little-endian ELF's symbol table entries with section index 0 (SHN_UNDEF).
    static func elfUndefined(_ data: Data) -> [String]? {
        let bytes = [UInt8](data)
        guard bytes[4] == 2, bytes[5] == 1 else { return nil }            // ELFCLASS64, little-endian
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
        func u64(_ at: Int) -> Int { u32(at) | u32(at + 4) << 32 }
        let sectionsAt = u64(0x28), entrySize = u16(0x3a), count = u16(0x3c)
        guard sectionsAt > 0, entrySize >= 64, sectionsAt + entrySize * count <= bytes.count else { return nil }
        struct Section { let type: Int, offset: Int, size: Int, link: Int }
        let sections = (0..<count).map { i -> Section in
            let at = sectionsAt + i * entrySize
            return Section(type: u32(at + 4), offset: u64(at + 0x18), size: u64(at + 0x20), link: u32(at + 0x28))
        }
        var names: [String] = []
        for table in sections where table.type == 2 && table.link < sections.count {   // SHT_SYMTAB
            let strings = sections[table.link]
            guard table.offset + table.size <= bytes.count, strings.offset + strings.size <= bytes.count else { return nil }
            for entry in stride(from: table.offset + 24, to: table.offset + table.size - 23, by: 24) {
                let name = u32(entry), index = u16(entry + 6)
                guard index == 0, name > 0, strings.offset + name < bytes.count else { continue }
                var end = strings.offset + name
                while end < bytes.count, bytes[end] != 0 { end += 1 }
                names.append(String(decoding: bytes[(strings.offset + name)..<end], as: UTF8.self))
            }
        }
        return names
    }

    static func nmUndefined(_ file: URL) -> [String]? {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("nm-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: output) }
        guard (try? ChildProcess.run("nm", ["-u", "-j", file.path], output: output)) == 0 else { return nil }
        return readText(output).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}
