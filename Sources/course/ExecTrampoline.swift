import CNeuralSupport
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `course __exec --parent PID [--address-space BYTES] -- COMMAND ARGS…`: how `course` starts its
/// children (`ChildProcess.launcher`). In the new process, before it becomes COMMAND:
/// - on Linux it asks the kernel for SIGKILL when `course` dies (PR_SET_PDEATHSIG), and gives up
///   if `course` (PID) is already gone: a `kill -9` of `course` leaves no test running;
/// - with --address-space it limits the address space (RLIMIT_AS), so student code that grows
///   without end fails an allocation instead of taking the machine's memory.
/// - with the sandbox options of a batch grade (`Sandbox.trampolineArguments`, Linux, as root) it
///   enters a mount and a network namespace of its own, lays an empty read-only folder over each
///   `--hide` path, caps processes (`--nproc`, RLIMIT_NPROC) and file sizes (`--fsize`), forbids
///   gaining privileges, and becomes the unprivileged user `--uid`/`--gid`.
/// Then it replaces itself with COMMAND (execvp): same process, same group, nothing in between.
enum ExecTrampoline {
    static let command = "__exec"

    static func run(_ arguments: [String]) -> Never {
        var parent: pid_t? = nil
        var addressSpace: UInt64? = nil
        var sandbox = SandboxRequest()
        var i = 0
        while i < arguments.count, arguments[i] != "--" {
            switch arguments[i] {
            case "--parent" where i + 1 < arguments.count: parent = pid_t(arguments[i + 1]); i += 2
            case "--address-space" where i + 1 < arguments.count: addressSpace = UInt64(arguments[i + 1]); i += 2
            case "--no-network": sandbox.isolateNetwork = true; i += 1
            default:
                guard i + 1 < arguments.count, sandbox.take(arguments[i], arguments[i + 1]) else { fail("unknown argument \(arguments[i])") }
                i += 2
            }
        }
        let command = Array(arguments.dropFirst(i + 1))
        guard !command.isEmpty else { fail("no command after --") }
        _ = cns_set_parent_death_signal(SIGKILL)
        if let parent, getppid() != parent { exit(1) }          // `course` died before we got here
        if let addressSpace {
            var limit = rlimit(rlim_cur: rlim_t(addressSpace), rlim_max: rlim_t(addressSpace))
            #if os(Linux)
            _ = setrlimit(Int32(RLIMIT_AS.rawValue), &limit)
            #else
            _ = setrlimit(RLIMIT_AS, &limit)
            #endif
        }
        if sandbox.isRequested { sandbox.enter() }
        let argv = command.map { strdup($0) } + [nil]
        execvp(command[0], argv)
        fail("cannot start \(command[0]): \(String(cString: strerror(errno)))")
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("course \(command): \(message)\n".utf8))
        exit(127)
    }
}
