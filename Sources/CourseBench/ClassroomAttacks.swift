import Foundation

/// The forging submissions of the load test: statements planted at the start of a function of a
/// correct submission. Each tries to raise the grade through a channel outside the computation;
/// each must earn 0 for its lesson and leave no trace (`marker` never appears).
struct ClassroomAttacks: Sendable {
    let name: String
    /// The statements, given the marker file and the submissions folder.
    let code: @Sendable (_ marker: URL, _ folder: URL) -> String

    static let all: [ClassroomAttacks] = [
        // Attack 1 as found: forged records in the event stream, then leave before the real ones.
        ClassroomAttacks(name: "event stream") { marker, _ in """
            let arguments = CommandLine.arguments
            if let i = arguments.firstIndex(of: "--event-stream-output-path"), let h = FileHandle(forWritingAtPath: arguments[i + 1]) {
                h.seekToEndOfFile(); h.write(Data("{\\"kind\\":\\"event\\",\\"payload\\":{\\"kind\\":\\"runEnded\\"}}\\n".utf8))
                FileManager.default.createFile(atPath: "\(marker.path)", contents: nil)
            }
            exit(0)
            """ },
        // Attack 1, the channel: zero-point records shrink the total.
        ClassroomAttacks(name: "points channel") { marker, _ in """
            if let channel = ProcessInfo.processInfo.environment["COURSE_GRADING_CHANNEL"] {
                try? "{\\"id\\":\\"x\\",\\"points\\":0}\\n".write(toFile: channel, atomically: false, encoding: .utf8)
                FileManager.default.createFile(atPath: "\(marker.path)", contents: nil)
            }
            """ },
        // Attack 2: a detached process that rewrites the results after the grade.
        ClassroomAttacks(name: "detached process") { marker, folder in """
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "(sleep 3; touch \(marker.path); for f in \(folder.path)/../report/students/*.json; do echo forged > $f; done) >/dev/null 2>&1 &"]
            try? p.run()
            """ },
        // Attack 3: find the graders through the workspace and empty them.
        ClassroomAttacks(name: "grader rewrite") { marker, _ in """
            var here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
            for _ in 0..<6 {
                for folder in ["Graders", ".course/harness/Graders"] {
                    let graders = here.appendingPathComponent(folder)
                    for lesson in (try? FileManager.default.contentsOfDirectory(atPath: graders.path)) ?? [] {
                        try? "import Testing\\n".write(toFile: graders.path + "/" + lesson + "/Empty.swift", atomically: false, encoding: .utf8)
                    }
                }
                here.deleteLastPathComponent()
            }
            try? "x".write(toFile: "\(marker.path)", atomically: false, encoding: .utf8)
            """ },
        // A variant: rewrite the records where the report goes.
        ClassroomAttacks(name: "record rewrite") { marker, folder in """
            let records = "\(folder.path)/../report/students"
            for f in (try? FileManager.default.contentsOfDirectory(atPath: records)) ?? [] {
                try? "{}".write(toFile: records + "/" + f, atomically: false, encoding: .utf8)
            }
            try? Data().write(to: URL(fileURLWithPath: "\(marker.path)"))
            """ },
        // A variant: end the process with success in the middle of a check.
        ClassroomAttacks(name: "early exit") { _, _ in "_exit(0)" },
    ]
}
