import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The operating-system walls around a graded process in a batch grade (Linux, run as root):
/// - it runs as an unprivileged user of its own (one per job, so two students graded at the same
///   time cannot reach each other's processes or files);
/// - every mount is read-only except its scratch folder, and the folders it has no business
///   seeing (the other submissions, the reports, the graders' sources, the other jobs) are covered
///   by empty read-only folders;
/// - it has no network, a cap on processes and file sizes, and cannot gain privileges;
/// - after the run, every process of that user still alive is killed and reported: a submission
///   that leaves a process behind earns nothing for the lessons of that run.
/// `course __exec` enters it (SandboxRequest in the `course` target).
public struct Sandbox: Sendable {
    /// The user (and group) the graded process runs as.
    public let userID: UInt32
    /// The only folder it may write.
    public var writable: URL
    /// Folders laid over with an empty read-only folder.
    public var hidden: [URL]
    public var maxProcesses = 512
    public var maxFileBytes: UInt64 = 512 << 20

    public init(userID: UInt32, writable: URL, hidden: [URL]) {
        self.userID = userID
        self.writable = writable
        self.hidden = hidden
    }

    /// Whether this machine can make the sandbox: Linux, and `course` running as root.
    public static var isAvailable: Bool {
        #if os(Linux)
        return geteuid() == 0
        #else
        return false
        #endif
    }

    /// Whether the sandbox can actually be entered here (a container may forbid namespaces even to
    /// root): starts `true` in it once. - Returns: nil when it works, else why not.
    public static func probe(scratch: URL) -> String? {
        let sandbox = Sandbox(userID: userID(forJob: 0), writable: scratch, hidden: [])
        let log = scratch.deletingLastPathComponent().appendingPathComponent("sandbox-probe.log")
        defer { try? FileManager.default.removeItem(at: scratch); try? FileManager.default.removeItem(at: log) }
        do {
            try sandbox.prepareScratch()
            let status = try ChildProcess("true", [], output: log, sandbox: sandbox).wait()
            return status == 0 ? nil : readText(log).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            return "\(error)"
        }
    }

    /// The user id of job `job` (0-based): 61000 + job, unused by distributions' own accounts.
    public static func userID(forJob job: Int) -> UInt32 { 61_000 + UInt32(job) }

    /// The options `course __exec` takes to enter it.
    var trampolineArguments: [String] {
        ["--uid", "\(userID)", "--gid", "\(userID)", "--no-network", "--nproc", "\(maxProcesses)",
         "--fsize", "\(maxFileBytes)", "--writable", writable.path] + hidden.flatMap { ["--hide", $0.path] }
    }

    /// Makes the scratch folder (empty) and gives it to the sandbox's user.
    func prepareScratch() throws {
        let fm = FileManager.default
        try? fm.removeItem(at: writable)
        try fm.createDirectory(at: writable, withIntermediateDirectories: true)
        guard chown(writable.path, userID, userID) == 0 else {
            throw CourseError("cannot give \(writable.path) to the sandbox's user \(userID): \(String(cString: strerror(errno)))")
        }
    }

    /// Gives `folder` to the sandbox's user (a folder the graded process writes into).
    func giveAway(_ folder: URL) {
        _ = chown(folder.path, userID, userID)
    }

    /// Kills every process running as the sandbox's user.
    /// - Returns: the command lines of the processes found (empty when the run left nothing behind).
    public func sweep() -> [String] {
        var found: [String] = []
        #if os(Linux)
        for _ in 0..<20 {
            var killed = false
            for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
                guard let pid = Int32(entry), let status = try? String(contentsOfFile: "/proc/\(entry)/status", encoding: .utf8),
                      let line = status.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }),
                      line.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().contains(where: { UInt32($0) == userID })
                else { continue }
                let commandLine = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline")
                    .map { String(decoding: $0.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).trimmingCharacters(in: .whitespaces) } ?? "?"
                kill(pid, SIGKILL)
                killed = true
                let described = commandLine.isEmpty ? "pid \(pid)" : commandLine
                if !found.contains(described) { found.append(described) }
            }
            if !killed { break }
            usleep(50_000)
        }
        #endif
        return found
    }
}
