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
/// (`tgkill`), the one in state R with the most CPU time under `/proc/PID/task` — the endless
/// loop — so that it is the "crashed" thread the report shows (the test runs with
/// `SWIFT_BACKTRACE=…,threads=crashed`). Swift's worker threads block SIGQUIT, so the first of
/// SIGQUIT, SIGTRAP, SIGILL that the process handles and the thread does not block is used; after
/// a SIGTRAP the backtracer returns and the loop goes on until the caller stops the process.
/// Elsewhere (macOS) nothing is sampled.
enum StackSampler {
    /// Asks the busiest thread of the processes in `group` for its backtrace and waits until the
    /// backtracer has written it to `output` (its "Backtrace took" line), the process ended, or
    /// `timeout` seconds passed.
    ///
    /// The backtracer walks the stack by frame pointers and starts from the interrupted
    /// instruction: when that is in an optimised toolkit function that keeps no frame of its own
    /// (a getter such as `Tensor.count`, which a loop calls all the time), the student's function
    /// that called it is missed. So the process is first stopped (SIGSTOP) a few times at random
    /// moments until the thread is in a lesson module's code (by the symbol table of the test
    /// binary), and the signal is sent while it is stopped there.
    /// - Returns: the output written from the moment of the request (the report), or nil when
    ///   nothing could be asked or no report came.
    static func sample(group: pid_t, output: URL, modules: [String], timeout: Double = 5,
                       ended: () -> Bool) -> String? {
        #if os(Linux)
        guard let thread = busiestThread(group: group), let signal = usableSignal(for: thread),
              let tgkill = threadKill else { return nil }
        let start = fileSize(output)
        let stopped = stopInStudentCode(thread, modules: modules)
        let sent = tgkill(thread.process, thread.id, signal) == 0
        if stopped { kill(thread.process, SIGCONT) }
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

    /// The thread of a process in `group` that is running (state R) and has used the most CPU
    /// time; a sleeping one only if none is running.
    static func busiestThread(group: pid_t) -> BusyThread? {
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
        return tasks.max { ($0.running ? 1 : 0, $0.cpuTicks) < ($1.running ? 1 : 0, $1.cpuTicks) }
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
    /// Stops `thread`'s process (SIGSTOP) at a moment when the thread runs code of one of
    /// `modules`, trying up to `attempts` times at random intervals.
    /// - Returns: whether the process is left stopped there (the caller sends SIGCONT); when
    ///   false it runs on as before.
    static func stopInStudentCode(_ thread: BusyThread, modules: [String], attempts: Int = 40) -> Bool {
        guard !modules.isEmpty, let code = ModuleCode(process: thread.process, modules: modules) else { return false }
        for _ in 0..<attempts {
            kill(thread.process, SIGSTOP)
            var counter: UInt64? = nil
            for _ in 0..<100 {
                if let fields = statFields("/proc/\(thread.process)/task/\(thread.id)/stat"), fields.first == "T" || fields.first == "t" {
                    counter = programCounter(thread)
                    break
                }
                usleep(1_000)
            }
            if let counter, code.contains(counter) { return true }
            kill(thread.process, SIGCONT)
            usleep(UInt32.random(in: 1_000...20_000))
        }
        return false
    }

    /// The instruction pointer of a stopped thread: the last field of `/proc/PID/task/TID/syscall`
    /// ("-1 sp pc" outside a system call).
    private static func programCounter(_ thread: BusyThread) -> UInt64? {
        guard let data = FileManager.default.contents(atPath: "/proc/\(thread.process)/task/\(thread.id)/syscall"),
              let last = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isWhitespace).last,
              last.hasPrefix("0x") else { return nil }
        return UInt64(last.dropFirst(2), radix: 16)
    }

    /// Where the functions of some Swift modules are in a running process: from the ELF symbol
    /// table of its executable (`$s6WarmUp…` are the symbols of module `WarmUp`) and where the
    /// executable is loaded (`/proc/PID/maps`).
    struct ModuleCode {
        private var ranges: [Range<UInt64>] = []

        init?(process: pid_t, modules: [String]) {
            guard let executable = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(process)/exe"),
                  let data = try? Data(contentsOf: URL(fileURLWithPath: executable), options: .alwaysMapped),
                  let base = Self.loadAddress(of: executable, in: process) else { return nil }
            let prefixes = modules.map { Array("$s\($0.utf8.count)\($0)".utf8) }
            var found: [Range<UInt64>] = []
            let ok: Bool = data.withUnsafeBytes { (file: UnsafeRawBufferPointer) -> Bool in
                func u16(_ at: Int) -> Int { Int(file.loadUnaligned(fromByteOffset: at, as: UInt16.self).littleEndian) }
                func u32(_ at: Int) -> Int { Int(file.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian) }
                func u64(_ at: Int) -> UInt64 { file.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian }
                // ELF64, little-endian (x86_64, arm64).
                guard file.count > 64, file[0] == 0x7f, file[1] == 0x45, file[2] == 0x4c, file[3] == 0x46,
                      file[4] == 2, file[5] == 1 else { return false }
                // The load bias: where the segment at file offset 0 is, less its address in the file.
                let (phoff, phentsize, phnum) = (Int(u64(0x20)), u16(0x36), u16(0x38))
                var firstAddress: UInt64? = nil
                for i in 0..<phnum where phoff + (i + 1) * phentsize <= file.count {
                    let header = phoff + i * phentsize
                    if u32(header) == 1, u64(header + 8) == 0 { firstAddress = u64(header + 0x10) & ~0xfff; break }
                }
                guard let firstAddress else { return false }
                let bias = base &- firstAddress
                let (shoff, shentsize, shnum) = (Int(u64(0x28)), u16(0x3a), u16(0x3c))
                for i in 0..<shnum where shoff + (i + 1) * shentsize <= file.count {
                    let section = shoff + i * shentsize
                    guard u32(section + 4) == 2 else { continue }                  // SHT_SYMTAB
                    let (symbols, size) = (Int(u64(section + 0x18)), Int(u64(section + 0x20)))
                    let strings = shoff + u32(section + 0x28) * shentsize
                    guard strings + shentsize <= file.count else { return false }
                    let (names, namesSize) = (Int(u64(strings + 0x18)), Int(u64(strings + 0x20)))
                    guard symbols + size <= file.count, names + namesSize <= file.count else { return false }
                    for symbol in stride(from: symbols, to: symbols + size - 23, by: 24) {
                        guard file[symbol + 4] & 0xf == 2 else { continue }         // STT_FUNC
                        let (name, value, length) = (u32(symbol), u64(symbol + 8), u64(symbol + 16))
                        guard length > 0, name < namesSize else { continue }
                        let start = names + name
                        let matches = prefixes.contains { prefix in
                            start + prefix.count <= names + namesSize
                                && prefix.indices.allSatisfy { file[start + $0] == prefix[$0] }
                        }
                        if matches { found.append((bias &+ value)..<(bias &+ value &+ length)) }
                    }
                    return true
                }
                return false
            }
            guard ok, !found.isEmpty else { return nil }
            ranges = found
        }

        func contains(_ address: UInt64) -> Bool { ranges.contains { $0.contains(address) } }

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
#endif
