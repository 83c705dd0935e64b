import Foundation

/// Times the student's loop with the real `course` binary in a new temporary workspace:
/// `course init` plus the first `course grade 00` (which compiles the toolkit into the
/// workspace's harness), then `course grade 00` after editing one lesson file.
///
///     swift build -c release && swift run -c release course-bench loop
enum LoopBenchmark {
    static func run(_ arguments: [String]) {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        var course = here.appendingPathComponent("course").path
        if let i = arguments.firstIndex(of: "--course"), i + 1 < arguments.count { course = arguments[i + 1] }
        let edits = arguments.firstIndex(of: "--edits").flatMap { Int(arguments[$0 + 1]) } ?? 3
        guard FileManager.default.isExecutableFile(atPath: course) else {
            print("loop: no `course` binary at \(course). Build it first (`swift build -c release`) or pass --course PATH.")
            exit(1)
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("course-loop-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }

        func time(_ args: [String]) -> (seconds: Double, status: Int32) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: course)
            process.arguments = args
            process.currentDirectoryURL = FileManager.default.temporaryDirectory
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            let start = Date()
            try? process.run()
            process.waitUntilExit()
            return (Date().timeIntervalSince(start), process.terminationStatus)
        }

        print("course: \(course)")
        let initTime = time(["init", root.path])
        let first = time(["-C", root.path, "grade", "00"])
        print(String(format: "course init                     %6.1f s", initTime.seconds))
        print(String(format: "first course grade 00           %6.1f s   (exit %d; builds the toolkit into the workspace)", first.seconds, first.status))
        print(String(format: "init + first grade              %6.1f s   (target: under 180 s)", initTime.seconds + first.seconds))

        let file = root.appendingPathComponent("Lessons/00-warmup/DotProduct.swift")
        var times: [Double] = []
        for i in 0..<edits {
            // An edit a student makes: a new comment line changes the file and forces a rebuild.
            if let text = try? String(contentsOf: file, encoding: .utf8) {
                try? (text + "\n// edit \(i)\n").write(to: file, atomically: true, encoding: .utf8)
            }
            times.append(time(["-C", root.path, "grade", "00"]).seconds)
        }
        let sorted = times.sorted()
        print(String(format: "course grade 00 after an edit   %6.1f s   median of %d (min %.1f, max %.1f; target: under 10 s)",
                     sorted[sorted.count / 2], edits, sorted.first ?? 0, sorted.last ?? 0))
    }
}
