import CNeuralSupport
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The sandbox a batch grade asks `course __exec` to put the graded process in (see
/// `Sandbox` in CourseKit, which writes these options, and the README's threat model).
struct SandboxRequest {
    var userID: UInt32?
    var groupID: UInt32?
    var hidden: [String] = []
    /// The one folder left writable (everything else is mounted read-only).
    var writable: String?
    var maxProcesses: UInt64?
    var maxFileBytes: UInt64?
    var isolateNetwork = false

    var isRequested: Bool { userID != nil || !hidden.isEmpty || isolateNetwork || writable != nil }

    /// Takes one `--option value` pair; false when it is not a sandbox option.
    mutating func take(_ option: String, _ value: String) -> Bool {
        switch option {
        case "--uid": userID = UInt32(value)
        case "--gid": groupID = UInt32(value)
        case "--hide": hidden.append(value)
        case "--writable": writable = value
        case "--nproc": maxProcesses = UInt64(value)
        case "--fsize": maxFileBytes = UInt64(value)
        default: return false
        }
        return true
    }

    /// Enters the sandbox, or ends the process with a message (status 127) when any step fails:
    /// a graded process never runs with less protection than was asked for.
    func enter() {
        #if os(Linux)
        func failed(_ what: String) -> Never { ExecTrampoline.fail("sandbox: cannot \(what): \(String(cString: strerror(errno)))") }
        if isolateNetwork || !hidden.isEmpty || writable != nil {
            guard cns_enter_namespaces(isolateNetwork ? 1 : 0) == 0 else { failed("make namespaces") }
            for path in hidden where FileManager.default.fileExists(atPath: path) {
                guard cns_hide_folder(path) == 0 else { failed("hide \(path)") }
            }
            if let writable {
                guard cns_read_only_except(writable) == 0 else { failed("make the file system read-only except \(writable)") }
            }
        }
        guard cns_limit_sandbox(maxProcesses ?? 0, maxFileBytes ?? 0) == 0 else { failed("set limits") }
        if let userID {
            guard cns_become_user(userID, groupID ?? userID) == 0 else { failed("become user \(userID)") }
        }
        #else
        ExecTrampoline.fail("sandbox: only available on Linux")
        #endif
    }
}
