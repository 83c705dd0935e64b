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
        studentLocation(of: process, output: output, harness: harness, lessons: lessons)?.place
    }

    /// Where a running process's stuck thread is in the student's code: `File.swift:42`, and the
    /// function (to tell whether two samples are stuck in the same function).
    struct Location: Sendable {
        let place: String
        let file: String?
        let function: String

        func sameFunction(as other: Location) -> Bool { file == other.file && function == other.function }
    }

    /// Samples the stuck thread's stack (`sample`) and returns its student frame.
    /// - Parameter direct: ask the busiest thread at once, without waiting for a moment in the
    ///   student's code: for a process growing without end, whose time goes to the library's
    ///   allocation and copying (never in a student line) and which must not grow on meanwhile.
    static func studentLocation(of process: ChildProcess, output: URL, harness: Harness, lessons: [Lesson],
                                direct: Bool = false) -> Location? {
        guard let report = sample(group: process.pid, output: output, modules: direct ? [] : lessons.map(\.module),
                                  ended: { process.poll() != nil })
        else { return nil }
        let frames = StackFrames(output: report, harness: harness)
        if let frame = frames.student { return Location(place: frame.place, file: frame.file, function: frame.function) }
        return CrashReport(output: report, harness: harness).studentFrame.map { Location(place: $0, file: nil, function: $0) }
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
    static func stopInStudentCode(_ threads: [BusyThread], modules: [String], seconds: Double = 4.5) -> BusyThread? {
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

#endif
