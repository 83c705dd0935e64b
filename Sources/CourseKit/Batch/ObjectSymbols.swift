import Foundation

/// The undefined symbols of a compiled object file: the outside functions and data its code uses.
/// ELF (Linux) is read with `ELFFile`; Mach-O (macOS) through `nm -u`.
enum ObjectSymbols {
    static func undefined(in file: URL) -> [String]? {
        guard let data = try? Data(contentsOf: file) else { return nil }
        #if os(Linux)
        return data.withUnsafeBytes { bytes in ELFFile(bytes: bytes)?.undefinedSymbols }
        #else
        return nmUndefined(file)
        #endif
    }

    static func nmUndefined(_ file: URL) -> [String]? {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("nm-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: output) }
        guard (try? ChildProcess.run("nm", ["-u", "-j", file.path], output: output)) == 0 else { return nil }
        return readText(output).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

#if os(Linux)
extension ELFFile {
    /// The names of the symbol table's entries with section index 0 (SHN_UNDEF): what an object
    /// file's code refers to outside itself.
    var undefinedSymbols: [String] {
        let all = sections
        var names: [String] = []
        for table in all where table.type == 2 && table.link < all.count {          // SHT_SYMTAB
            let strings = all[table.link]
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
}
#endif
