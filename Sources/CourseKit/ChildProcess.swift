import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process started in a process group of its own, so that it can be stopped together with
/// everything it started (`swift test` starts the test binary as its own child; a student's endless
/// loop runs there).
///
/// Nothing outlives `course`: every group still running is killed when `course` exits or is
/// stopped by SIGINT (Ctrl-C), SIGTERM or SIGHUP (`installTerminationHandlers`), and on Linux a
/// child started through the `launcher` also gets SIGKILL from the kernel when `course` dies
/// without a chance to clean up (`kill -9`). The launcher also applies a memory limit.
public final class ChildProcess: @unchecked Sendable {
    public let pid: pid_t
    private var status: Int32?

    /// The `course` binary, which starts children through its hidden `__exec` command (parent-death
    /// signal, memory limit; see `ExecTrampoline` in the `course` target). Nil: children are
    /// started directly (tests of CourseKit itself).
    nonisolated(unsafe) public static var launcher: String?

    /// Starts `executable` (looked up in `PATH`) with `arguments`.
    /// - Parameters:
    ///   - environment: added to (and overriding) this process's environment.
    ///   - output: a file receiving the child's standard output and error; nil to share the terminal.
    ///   - memoryLimit: bytes of address space the child may use (`RLIMIT_AS`, applied by the
    ///     launcher); nil for no limit.
    ///   - sandbox: the walls a batch grade puts around the child (applied by the launcher).
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                output: URL? = nil, memoryLimit: UInt64? = nil, sandbox: Sandbox? = nil) throws {
        var executable = executable
        var arguments = arguments
        if sandbox != nil, ChildProcess.launcher == nil {
            throw CourseError("a sandboxed process can only be started by the `course` tool (its `__exec` launcher)")
        }
        if let launcher = ChildProcess.launcher {
            arguments = ["__exec", "--parent", "\(getpid())"] + (memoryLimit.map { ["--address-space", "\($0)"] } ?? [])
                + (sandbox?.trampolineArguments ?? []) + ["--", executable] + arguments
            executable = launcher
        }
        #if canImport(Darwin)
        var attributes: posix_spawnattr_t? = nil      // an opaque pointer on Darwin
        var actions: posix_spawn_file_actions_t? = nil
        #else
        var attributes = posix_spawnattr_t()
        var actions = posix_spawn_file_actions_t()
        #endif
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setpgroup(&attributes, 0)
        // No signal blocked in the child, whatever this process blocks: the Swift runtime's
        // backtracer must receive the signal that asks a stuck test for its stack (StackSampler).
        var unblocked = sigset_t()
        sigemptyset(&unblocked)
        posix_spawnattr_setsigmask(&attributes, &unblocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK))

        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if let output {
            posix_spawn_file_actions_addopen(&actions, 1, output.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)

        var merged = ProcessInfo.processInfo.environment
        for (key, value) in environment { merged[key] = value }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }

        var child: pid_t = 0
        let result = posix_spawnp(&child, executable, &actions, &attributes, argv, envp)
        guard result == 0 else {
            throw CourseError("Could not start `\(executable)`: \(String(cString: strerror(result))). Is the Swift toolchain on your PATH?")
        }
        pid = child
        LiveGroups.add(child)
    }

    /// Kills every child group still running when `course` exits, or is stopped by SIGINT, SIGTERM
    /// or SIGHUP (then it dies of that signal, as it would have). Call once, early.
    public static func installTerminationHandlers() {
        // `course` may have been started with these signals blocked (a parent's thread mask is
        // inherited): unblock them, or Ctrl-C would stay pending while the children run on.
        var wanted = sigset_t()
        sigemptyset(&wanted)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&wanted, signalNumber) }
        sigprocmask(SIG_UNBLOCK, &wanted, nil)
        for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
            signal(signalNumber) { received in
                LiveGroups.killAll()
                signal(received, SIG_DFL)
                raise(received)
            }
        }
        atexit { LiveGroups.killAll() }
    }

    /// The exit status if the process has ended (128 + n for a signal n), without waiting.
    public func poll() -> Int32? {
        if let status { return status }
        var raw: Int32 = 0
        let r = waitpid(pid, &raw, WNOHANG)
        if r == pid { status = ChildProcess.decode(raw) }
        else if r < 0 { status = -1 }
        if status != nil { LiveGroups.remove(pid) }
        return status
    }

    /// Waits for the process to end and returns its exit status (128 + n for a signal n).
    @discardableResult
    public func wait() -> Int32 {
        if let status { return status }
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        status = ChildProcess.decode(raw)
        LiveGroups.remove(pid)
        return status!
    }

    /// Kills the process and its whole group at once.
    public func killGroup() {
        kill(-pid, SIGKILL)
        kill(pid, SIGKILL)
    }

    /// Kills the process and its group, reaps it, and waits (at most `seconds`) until no process of
    /// the group is left: a killed process with many threads, or a helper it started (the
    /// backtracer), takes a moment to go, and must not be taken for one a submission left behind.
    public func stopGroup(within seconds: Double = 3) {
        killGroup()
        wait()
        #if os(Linux)
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let members = ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { entry in
                guard Int32(entry) != nil, let fields = StackSampler.statFields("/proc/\(entry)/stat") else { return false }
                return fields.count > 2 && Int32(fields[2]) == pid                // the process group
            }
            if members.isEmpty { return }
            kill(-pid, SIGKILL)
            usleep(20_000)
        }
        #endif
    }

    /// Kills every process whose command line contains `marker` (Linux, through /proc; elsewhere
    /// nothing). Used to make sure no test process outlives a run that was stopped.
    public static func killProcesses(mentioning marker: String) {
        #if os(Linux)
        let me = getpid()
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), pid != me,
                  let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { continue }
            let commandLine = String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self)
            if commandLine.contains(marker) { kill(pid, SIGKILL) }
        }
        #endif
    }

    private static func decode(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7f
        return signal == 0 ? (raw >> 8) & 0xff : 128 + signal
    }

    /// Runs a command to its end, with its output going to `output` (or the terminal).
    /// - Returns: the exit status.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                           output: URL? = nil) throws -> Int32 {
        try ChildProcess(executable, arguments, environment: environment, output: output).wait()
    }
}

/// The process groups of the children not yet reaped, in a fixed table that a signal handler may
/// read (no allocation, no lock: only `kill`, which is async-signal-safe).
enum LiveGroups {
    static let capacity = 256
    nonisolated(unsafe) static let table: UnsafeMutablePointer<pid_t> = {
        let table = UnsafeMutablePointer<pid_t>.allocate(capacity: capacity)
        table.initialize(repeating: 0, count: capacity)
        return table
    }()
    static let lock = NSLock()

    static func add(_ group: pid_t) {
        lock.lock(); defer { lock.unlock() }
        for i in 0..<capacity where table[i] == 0 { table[i] = group; return }
    }

    static func remove(_ group: pid_t) {
        lock.lock(); defer { lock.unlock() }
        for i in 0..<capacity where table[i] == group { table[i] = 0 }
    }

    /// Kills every recorded group (from a signal handler too).
    static func killAll() {
        for i in 0..<capacity where table[i] > 0 {
            kill(-table[i], SIGKILL)
            kill(table[i], SIGKILL)
        }
    }

    /// The groups recorded now (for tests).
    static var current: [pid_t] {
        lock.lock(); defer { lock.unlock() }
        return (0..<capacity).map { table[$0] }.filter { $0 > 0 }
    }
}
