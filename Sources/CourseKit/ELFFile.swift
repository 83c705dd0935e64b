import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

#if os(Linux)
/// Just enough of an ELF64 little-endian executable (x86_64, arm64 Linux): the load address of
/// its first segment, the functions whose symbol starts with one of some prefixes, and the parts
/// of those functions that the DWARF line table gives line 0.
struct ELFFile {
    let bytes: UnsafeRawBufferPointer

    init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 64, bytes[0] == 0x7f, bytes[1] == 0x45, bytes[2] == 0x4c, bytes[3] == 0x46,
              bytes[4] == 2, bytes[5] == 1 else { return nil }
        self.bytes = bytes
    }

    func u8(_ at: Int) -> UInt64 { UInt64(bytes[at]) }
    func u16(_ at: Int) -> Int { Int(bytes.loadUnaligned(fromByteOffset: at, as: UInt16.self).littleEndian) }
    func u32(_ at: Int) -> Int { Int(bytes.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian) }
    func u64(_ at: Int) -> UInt64 { bytes.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian }

    struct Section { let name: String; let type: Int; let address: UInt64; let offset: Int; let size: Int; let link: Int }

    var sections: [Section] {
        let (offset, entrySize, count, namesIndex) = (Int(u64(0x28)), u16(0x3a), u16(0x3c), u16(0x3e))
        guard offset > 0, entrySize >= 0x40, offset + count * entrySize <= bytes.count, namesIndex < count else { return [] }
        let names = Int(u64(offset + namesIndex * entrySize + 0x18))
        return (0..<count).map { i in
            let header = offset + i * entrySize
            var name = ""
            var at = names + u32(header)
            while at < bytes.count, bytes[at] != 0 { name.append(Character(UnicodeScalar(bytes[at]))); at += 1 }
            let flags = u64(header + 8)
            // A compressed section (SHF_COMPRESSED) is not read.
            return Section(name: name, type: flags & 0x800 != 0 ? -1 : u32(header + 4), address: u64(header + 0x10),
                           offset: Int(u64(header + 0x18)),
                           size: Int(u64(header + 0x20)), link: u32(header + 0x28))
        }.filter { $0.offset + $0.size <= bytes.count }
    }

    /// The address of the segment at file offset 0, the functions with one of `prefixes`, and
    /// their line-0 parts.
    func read(prefixes: [[UInt8]])
        -> (firstAddress: UInt64, text: Range<UInt64>?, functions: [Range<UInt64>], lineless: [Range<UInt64>])? {
        let (phOffset, phSize, phCount) = (Int(u64(0x20)), u16(0x36), u16(0x38))
        var firstAddress: UInt64? = nil
        for i in 0..<phCount where phOffset + (i + 1) * phSize <= bytes.count {
            let header = phOffset + i * phSize
            if u32(header) == 1, u64(header + 8) == 0 { firstAddress = u64(header + 0x10) & ~0xfff; break }   // PT_LOAD
        }
        let all = sections
        guard let firstAddress, let symbols = all.first(where: { $0.type == 2 }),                      // SHT_SYMTAB
              symbols.link < all.count else { return nil }
        let names = all[symbols.link]
        var functions: [Range<UInt64>] = []
        for symbol in stride(from: symbols.offset, to: symbols.offset + symbols.size - 23, by: 24)
        where bytes[symbol + 4] & 0xf == 2 {                                                            // STT_FUNC
            let (name, value, length) = (u32(symbol), u64(symbol + 8), u64(symbol + 16))
            let start = names.offset + name
            guard length > 0, name < names.size else { continue }
            let matches = prefixes.contains { prefix in
                start + prefix.count <= names.offset + names.size && prefix.indices.allSatisfy { bytes[start + $0] == prefix[$0] }
            }
            if matches { functions.append(value..<(value + length)) }
        }
        let lines = all.first { $0.name == ".debug_line" }.map { linelessRanges(in: $0, within: functions) } ?? []
        let text = all.first { $0.name == ".text" }.map { $0.address..<($0.address + UInt64($0.size)) }
        return (firstAddress, text, functions, lines)
    }

    /// Runs the DWARF (versions 2–5) line programs and keeps the address ranges with line 0
    /// that lie in `functions`.
    func linelessRanges(in section: Section, within functions: [Range<UInt64>]) -> [Range<UInt64>] {
        var result: [Range<UInt64>] = []
        var unit = section.offset
        let end = section.offset + section.size
        while unit + 4 <= end {
            var at = unit
            var length = UInt64(u32(at)); at += 4
            var offsetSize = 4
            if length == 0xffff_ffff { length = u64(at); at += 8; offsetSize = 8 }
            let unitEnd = at + Int(length)
            guard length > 0, unitEnd <= end else { break }
            defer { unit = unitEnd }
            let version = u16(at); at += 2
            guard (2...5).contains(version) else { continue }
            if version >= 5 { at += 2 }                                         // address and selector sizes
            let headerLength = offsetSize == 8 ? Int(u64(at)) : u32(at); at += offsetSize
            let program = at + headerLength
            let minimumLength = u8(at); at += 1
            if version >= 4 { at += 1 }                                         // maximum operations
            at += 1                                                             // default_is_stmt
            let lineBase = Int(Int8(bitPattern: bytes[at])), lineRange = u8(at + 1), opcodeBase = Int(bytes[at + 2])
            let operandCounts = (0..<max(opcodeBase - 1, 0)).map { Int(bytes[at + 3 + $0]) }
            guard lineRange > 0, program <= unitEnd else { continue }

            var address: UInt64 = 0, line = 1
            var rowAddress: UInt64? = nil, rowLine = 0
            func row() {                       // a row ends the range the previous one started
                if let start = rowAddress, rowLine == 0, start < address,
                   functions.contains(where: { $0.overlaps(start..<address) }) { result.append(start..<address) }
                rowAddress = address; rowLine = line
            }
            at = program
            while at < unitEnd {
                let opcode = Int(bytes[at]); at += 1
                if opcode >= opcodeBase {
                    let adjusted = UInt64(opcode - opcodeBase)
                    address &+= (adjusted / lineRange) * minimumLength
                    line += lineBase + Int(adjusted % lineRange)
                    row()
                    continue
                }
                switch opcode {
                case 0:
                    let size = Int(uleb(&at)); let next = at + size
                    guard size > 0, next <= unitEnd else { at = unitEnd; break }
                    switch bytes[at] {
                    case 1: row(); rowAddress = nil; address = 0; line = 1          // end_sequence
                    case 2 where size == 9: address = u64(at + 1)                     // set_address
                    default: break
                    }
                    at = next
                case 1: row()                                                         // copy
                case 2: address &+= uleb(&at) &* minimumLength                         // advance_pc
                case 3: line += Int(sleb(&at))                                        // advance_line
                case 8: address &+= ((255 - UInt64(opcodeBase)) / lineRange) * minimumLength
                case 9: address &+= UInt64(u16(at)); at += 2                           // fixed_advance_pc
                default:
                    for _ in 0..<(opcode - 1 < operandCounts.count ? operandCounts[opcode - 1] : 0) { _ = uleb(&at) }
                }
            }
        }
        return result
    }

    private func uleb(_ at: inout Int) -> UInt64 {
        var value: UInt64 = 0, shift: UInt64 = 0
        while at < bytes.count {
            let byte = bytes[at]; at += 1
            if shift < 64 { value |= UInt64(byte & 0x7f) << shift }
            shift += 7
            if byte & 0x80 == 0 { break }
        }
        return value
    }

    private func sleb(_ at: inout Int) -> Int64 {
        var value: Int64 = 0, shift: Int64 = 0
        var byte: UInt8 = 0
        while at < bytes.count {
            byte = bytes[at]; at += 1
            if shift < 64 { value |= Int64(byte & 0x7f) << shift }
            shift += 7
            if byte & 0x80 == 0 { break }
        }
        if shift < 64, byte & 0x40 != 0 { value |= -(Int64(1) << shift) }
        return value
    }
}
#endif
