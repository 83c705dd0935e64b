import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a stuck test process is: makes the Swift runtime's backtracer print the stack of its
/// busiest thread into the process's output, before the process is stopped.
///
/// On Linux the backtracer handles SIGQUIT and the crash signals. The signal goes to one thread
/// (`tgkill`) — one in state R running the student's code, or else the one with the most CPU
/// time under `/proc/PID/task`: the endless loop — so that it is the "crashed" thread the report
/// shows (the test runs with `SWIFT_BACKTRACE=…,threads=crashed`). Swift's worker threads block SIGQUIT, so the first of
/// SIGQUIT, SIGTRAP, SIGILL that the process handles and the thread does not block is used; after
/// a SIGTRAP the backtracer returns and the loop goes on until the caller stops the process.
/// Elsewhere (macOS) nothing is sampled.
enum StackSampler {
    /// Samples the stack of a test process stuck in a check and returns the student's frame in
    /// it (`Metrics.swift:31`), or nil if that cannot be found. The process is left running (or
    /// ended) for the caller to stop.
    static func studentFrame(of process: ChildProcess, output: URL, harness: Harness, lessons: [Lesson]) -> String? {
        let report = sample(group: process.pid, output: output, modules: lessons.map(\.module)) { process.poll() != nil }
        return report.flatMap { CrashReport(output: $0, harness: harness).studentFrame }
    }

    /// Asks the stuck thread of the processes in `group` for its backtrace and waits until the
    /// backtracer has written it to `output` (its "Backtrace took" line), the process ended, or
    /// `timeout` seconds passed.
    ///
    /// The backtracer walks the stack by frame pointers and starts from the interrupted
    /// instruction: when that is in an optimised toolkit function that keeps no frame of its own
    /// (a getter such as `Tensor.count`, which a loop calls all the time), the student's function
    /// that called it is missed. So the process is first stopped (SIGSTOP) a few times at random
    /// moments until a running thread is in a lesson module's code, on an instruction with a line
    /// (by the symbol and line tables of the test binary), and the signal is sent to that thread
    /// while it is stopped there.
    /// - Returns: the output written from the moment of the request (the report), or nil when
    ///   nothing could be asked or no report came.
    static func sample(group: pid_t, output: URL, modules: [String], timeout: Double = 5,
                       ended: () -> Bool) -> String? {
        #if os(Linux)
        let threads = threads(group: group)
        guard let busiest = busiest(threads), let tgkill = threadKill else { return nil }
        let start = fileSize(output)
        // The running threads of that process, the busiest first.
        let running = [busiest] + threads.filter { $0.process == busiest.process && $0.running && $0.id != busiest.id }
        let found = stopInStudentCode(running, modules: modules)
        let thread = found ?? busiest
        let signal = usableSignal(for: thread)
        let sent = signal.map { tgkill(thread.process, thread.id, $0) == 0 } ?? false
        if found != nil { kill(thread.process, SIGCONT) }
        guard sent else { return nil }
        let deadline = Date().addingTimeInterval(timeout)
        var text = ""
        repeat {
            Thread.sleep(forTimeInterval: 0.05)
            text = readText(output, from: start)
            if text.contains("\nBacktrace took ") { return text }
        } while !ended() && Date() < deadline
        text = readText(output, from: start)
        return text.contains(" crashed:") ? text : nil
        #else
        return nil
        #endif
    }

    #if os(Linux)
    struct BusyThread {
        let process: pid_t
        let id: pid_t
        let running: Bool
        let cpuTicks: Int
    }

    /// The threads of the processes in `group`.
    static func threads(group: pid_t) -> [BusyThread] {
        var tasks: [BusyThread] = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = pid_t(entry), let stat = statFields("/proc/\(entry)/stat"),
                  stat.count > 2, pid_t(stat[2]) == group else { continue }
            for threadEntry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(entry)/task")) ?? [] {
                guard let tid = pid_t(threadEntry), let fields = statFields("/proc/\(entry)/task/\(threadEntry)/stat"),
                      fields.count > 12 else { continue }
                // After "pid (comm)": state is field 0, utime field 11, stime field 12.
                let ticks = (Int(fields[11]) ?? 0) + (Int(fields[12]) ?? 0)
                tasks.append(BusyThread(process: pid, id: tid, running: fields[0] == "R", cpuTicks: ticks))
            }
        }
        return tasks
    }

    /// The thread that is running (state R) and has used the most CPU time; a sleeping one only
    /// if none is running.
    static func busiest(_ threads: [BusyThread]) -> BusyThread? {
        threads.max { ($0.running ? 1 : 0, $0.cpuTicks) < ($1.running ? 1 : 0, $1.cpuTicks) }
    }

    /// The fields of a `/proc/…/stat` file after `pid (comm)` (the name may hold spaces and parentheses).
    static func statFields(_ path: String) -> [String]? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        guard let close = text.lastIndex(of: ")") else { return nil }
        return text[text.index(after: close)...].split(separator: " ").map(String.init)
    }

    /// The first of SIGQUIT, SIGTRAP, SIGILL that the process catches and `thread` does not block.
    static func usableSignal(for thread: BusyThread) -> Int32? {
        guard let caught = statusMask("/proc/\(thread.process)/status", "SigCgt"),
              let blocked = statusMask("/proc/\(thread.process)/task/\(thread.id)/status", "SigBlk") else { return nil }
        return [SIGQUIT, SIGTRAP, SIGILL].first { signal in
            let bit = UInt64(1) << UInt64(signal - 1)
            return caught & bit != 0 && blocked & bit == 0
        }
    }

    private static func statusMask(_ path: String, _ key: String) -> UInt64? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix(key + ":") {
            return UInt64(line.dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces), radix: 16)
        }
        return nil
    }

    /// glibc's `tgkill` (2.30 and later; the Swift module does not import it), found at run time.
    private static let threadKill: (@convention(c) (pid_t, pid_t, Int32) -> Int32)? = {
        guard let symbol = dlsym(nil, "tgkill") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (pid_t, pid_t, Int32) -> Int32).self)
    }()

    private static func fileSize(_ file: URL) -> UInt64 {
        ((try? FileManager.default.attributesOfItem(atPath: file.path))?[.size] as? NSNumber)?.uint64Value ?? 0
    }

    /// At most 4 MB of `file` from `offset` (a loop that prints may have made it large).
    private static func readText(_ file: URL, from offset: UInt64) -> String {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return "" }
        defer { try? handle.close() }
        try? handle.seek(toOffset: offset)
        return String(decoding: (try? handle.read(upToCount: 4 << 20)) ?? Data(), as: UTF8.self)
    }
    #endif
}

#if os(Linux)
extension StackSampler {
    /// Stops the process of `threads` (SIGSTOP) at a moment when one of them runs code of one of
    /// `modules` that belongs to a line, trying at random intervals for up to `seconds`; in the
    /// last third of that time a moment in the executable's own code (NeuralKit, say, called from
    /// the student's loop) will do.
    /// - Returns: that thread, its process left stopped (the caller sends SIGCONT); nil when no
    ///   moment was found, the process running on as before.
    static func stopInStudentCode(_ threads: [BusyThread], modules: [String], seconds: Double = 3) -> BusyThread? {
        guard let process = threads.first?.process, !modules.isEmpty,
              let code = ModuleCode(process: process, modules: modules) else { return nil }
        let start = Date()
        while Date().timeIntervalSince(start) < seconds {
            let settle = Date().timeIntervalSince(start) > seconds * 2 / 3
            kill(process, SIGSTOP)
            for thread in threads {
                for _ in 0..<100 {
                    guard let state = statFields("/proc/\(process)/task/\(thread.id)/stat")?.first else { break }
                    if state == "T" || state == "t" {
                        if let counter = programCounter(thread),
                           code.containsLine(counter) || settle && code.isOwnCode(counter) { return thread }
                        break
                    }
                    usleep(1_000)
                }
            }
            kill(process, SIGCONT)
            usleep(UInt32.random(in: 1_000...20_000))
        }
        return nil
    }

    /// The instruction pointer of a stopped thread: the last field of `/proc/PID/task/TID/syscall`
    /// ("-1 sp pc" outside a system call).
    private static func programCounter(_ thread: BusyThread) -> UInt64? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(thread.process)/task/\(thread.id)/syscall"),
              let last = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace).last,
              last.hasPrefix("0x") else { return nil }
        return UInt64(last.dropFirst(2), radix: 16)
    }

    /// Where the code of some Swift modules is in a running process, and which of its
    /// instructions belong to a source line: from the executable's ELF symbol table (`$s6WarmUp…`
    /// are the functions of module `WarmUp`), its DWARF line table, and where it is loaded
    /// (`/proc/PID/maps`).
    struct ModuleCode {
        private let bias: UInt64
        private let functions: [Range<UInt64>]
        /// All the executable's own code (NeuralKit, the graders, the lessons).
        private let text: Range<UInt64>?
        /// Address ranges inside those functions whose line is 0 (compiler glue, such as a loop's
        /// jump back): a backtrace stopped there names no line.
        private let lineless: [Range<UInt64>]

        init?(process: pid_t, modules: [String]) {
            guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(process)/exe"),
                  let data = try? Data(contentsOf: URL(fileURLWithPath: executable), options: .alwaysMapped),
                  let base = Self.loadAddress(of: executable, in: process) else { return nil }
            let prefixes = modules.map { Array("$s\($0.utf8.count)\($0)".utf8) }
            guard let found = data.withUnsafeBytes({ ELFFile(bytes: $0)?.read(prefixes: prefixes) }),
                  !found.functions.isEmpty else { return nil }
            bias = base &- found.firstAddress
            text = found.text
            functions = found.functions
            lineless = found.lineless
        }

        /// Whether `address` is in one of the modules' functions, on an instruction with a line.
        /// Whether `address` is in the executable's own code, not a library's (the C library
        /// keeps no frame pointers, and the backtracer cannot walk out of it).
        func isOwnCode(_ address: UInt64) -> Bool { text?.contains(address &- bias) ?? false }

        func containsLine(_ address: UInt64) -> Bool {
            let a = address &- bias
            return functions.contains { $0.contains(a) } && !lineless.contains { $0.contains(a) }
        }

        /// The start of the executable's mapping at file offset 0.
        private static func loadAddress(of executable: String, in process: pid_t) -> UInt64? {
            guard let data = FileManager.default.contents(atPath: "/proc/\(process)/maps") else { return nil }
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
                let fields = line.split(separator: " ", omittingEmptySubsequences: true)
                guard fields.count >= 6, fields[5...].joined(separator: " ") == executable,
                      UInt64(fields[2], radix: 16) == 0,
                      let start = fields[0].split(separator: "-").first else { continue }
                return UInt64(start, radix: 16)
            }
            return nil
        }
    }
}

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
