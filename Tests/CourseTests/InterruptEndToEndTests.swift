import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Nothing outlives `course`: not when it is interrupted (Ctrl-C) while student code loops, and on
/// Linux not even when it is killed outright.
extension CLIEndToEnd {
@Suite struct InterruptEndToEndTests {
    /// The processes whose command line mentions the shared workspace (Linux: /proc).
    static func workspaceProcesses() -> [pid_t] {
        #if os(Linux)
        let marker = SharedWorkspace.root.path
        return ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { entry in
            guard let pid = pid_t(entry), pid != getpid(),
                  let data = FileManager.default.contents(atPath: "/proc/\(entry)/cmdline") else { return nil }
            return String(decoding: data.map { $0 == 0 ? 32 : $0 }, as: UTF8.self).contains(marker) ? pid : nil
        }
        #else
        return []
        #endif
    }

    /// Starts `course grade 00` on a looping lesson, waits until the test binary runs, stops
    /// `course` with `signal`, and returns what is left after a moment.
    func leftAfterStopping(with signalNumber: Int32) throws -> [pid_t] {
        try SharedWorkspace.install(stub: false)
        try SharedWorkspace.edit("DotProduct.swift", replacing: "var total: Float = 0",
                                 with: "var total: Float = 0\n    while a.count >= 0 { total += 1 }")
        let process = Process()
        process.executableURL = CourseCLI.executable
        process.arguments = ["grade", "00", "--time-limit", "600"]
        process.currentDirectoryURL = SharedWorkspace.root
        var environment = ProcessInfo.processInfo.environment
        environment["COURSE_TOOLKIT"] = CourseCLI.toolkit.path
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(300)
        var testRunning = false
        while Date() < deadline, process.isRunning {
            if Self.workspaceProcesses().contains(where: { pid in
                let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") ?? Data()
                return String(decoding: data, as: UTF8.self).contains("CourseHarnessPackageTests.xctest")
            }) { testRunning = true; break }
            Thread.sleep(forTimeInterval: 0.2)
        }
        #expect(testRunning, "the checks never started")
        Thread.sleep(forTimeInterval: 1)                    // well inside the loop
        kill(process.processIdentifier, signalNumber)
        process.waitUntilExit()
        Thread.sleep(forTimeInterval: 1)
        return Self.workspaceProcesses()
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/cmdline")))
    func ctrlCDuringAnEndlessLoopLeavesNoProcessBehind() throws {
        let left = try leftAfterStopping(with: SIGINT)
        #expect(left.isEmpty, "still running after Ctrl-C: \(left)")
        left.forEach { kill($0, SIGKILL) }
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self/cmdline")))
    func killingCourseOutrightTakesItsTestProcessAlong() throws {
        let left = try leftAfterStopping(with: SIGKILL)
        #expect(left.isEmpty, "still running after kill -9 of course: \(left)")
        left.forEach { kill($0, SIGKILL) }
    }
}
}
