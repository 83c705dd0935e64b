import Foundation
import Testing
@testable import CourseKit

/// `course grade --submissions DIR --report OUT` over a small class for lesson 00: correct,
/// partly correct, broken, looping, memory-hungry and forging submissions, each graded at what its
/// honest behaviour earns (forging ones at 0), none lost, every file where it belongs.
/// (In the serialized end-to-end group: its builds would otherwise slow the timing-sensitive
/// checks of the other end-to-end tests.)
extension CLIEndToEnd {
@Suite struct BatchEndToEndTests {
    static let toolkit = CourseCLI.toolkit
    static let lesson = "00-warmup"
    static let files = ["DotProduct.swift", "Affine.swift", "Logistic.swift", "Metrics.swift", "MiniBatches.swift"]

    /// A temporary class folder: `subs/` (the submissions) and `out/` (the report); deleted afterwards.
    final class Class {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("course-batch-\(UUID().uuidString.prefix(8))")
        var subs: URL { root.appendingPathComponent("subs") }
        var out: URL { root.appendingPathComponent("out") }
        deinit { try? FileManager.default.removeItem(at: root) }

        /// A submission `name` made of the stubs (`stub`) or solutions, with `overrides` replacing files.
        func add(_ name: String, layout: String = "Lessons/00-warmup/", stub: Bool = false, overrides: [String: String] = [:]) throws {
            let folder = subs.appendingPathComponent(name).appendingPathComponent(layout)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for file in BatchEndToEndTests.files {
                let target = folder.appendingPathComponent(file)
                if let text = overrides[file] { try text.write(to: target, atomically: true, encoding: .utf8); continue }
                let source = BatchEndToEndTests.toolkit.appendingPathComponent("\(stub ? "Lessons" : "Solutions")/\(BatchEndToEndTests.lesson)/\(file)")
                try FileManager.default.copyItem(at: source, to: target)
            }
        }

        func report(_ student: String) throws -> StudentReport {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            return try decoder.decode(StudentReport.self, from: Data(contentsOf: out.appendingPathComponent("students/\(student).json")))
        }

        var hidden: URL { root.appendingPathComponent("hidden") }

        /// A hidden grader for lesson 00 whose message would show a secret input.
        func addHiddenGrader(expecting value: String = "dot(a, b)") throws {
            let folder = hidden.appendingPathComponent("00-warmup")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try """
                import Testing
                import WarmUp

                @Suite struct DotHiddenGrader {
                    @Test("dot product is linear in its first argument (hidden inputs)", .points(3))
                    func linear() {
                        let a: [Float] = [1234.5, -2], b: [Float] = [3, 5]
                        #expect(\(value) == 1234.5 * 3 - 10, "secret input a = \\(a)")
                    }
                }
                """.write(to: folder.appendingPathComponent("DotHiddenGrader.swift"), atomically: true, encoding: .utf8)
        }

        func grade(_ extra: [String] = [], environment: [String: String] = [:]) throws -> CourseCLI.Result {
            try CourseCLI.run(["grade", "00", "--submissions", subs.path, "--report", out.path, "--jobs", "1",
                               "--memory-limit", "768M", "--seed", "7", "--graders", hidden.path] + extra, in: root, environment: environment)
        }
    }

    /// `dot` written with a body of our choosing.
    static func dot(_ body: String) -> String {
        "import Foundation\nimport NeuralKit\n\npublic func dot(_ a: [Float], _ b: [Float]) -> Float {\n\(body)\n}\n"
    }
    static let honestDot = "    var s: Float = 0\n    for k in a.indices { s += a[k] * b[k] }\n    return s"

    /// Attack 1: append "passed" records to the event stream and points channel, then leave.
    static let forgeEvents = dot("""
        let args = CommandLine.arguments
        if let i = args.firstIndex(of: "--event-stream-output-path"), let h = FileHandle(forWritingAtPath: args[i + 1]) {
            h.seekToEndOfFile()
            h.write(Data("{\\"kind\\":\\"event\\",\\"payload\\":{\\"kind\\":\\"runEnded\\"}}\\n".utf8))
        }
        if let c = ProcessInfo.processInfo.environment["COURSE_GRADING_CHANNEL"] { try? "{}".write(toFile: c, atomically: false, encoding: .utf8) }
        exit(0)
        """)
    /// Attack 2: a detached process that rewrites the records after the grade.
    static func daemon(_ marker: URL) -> String {
        dot("""
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", "(sleep 2; touch \(marker.path)) >/dev/null 2>&1 &"]
            try? p.run()
            \(honestDot)
            """)
    }
    /// Attack 3: rewrite the graders wherever they can be found.
    static func graderWriter(_ folders: [URL], marker: URL) -> String {
        dot("""
            for folder in \(folders.map(\.path)) {
                for f in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] {
                    try? "import Testing\\n".write(toFile: folder + "/" + f, atomically: false, encoding: .utf8)
                }
            }
            try? "x".write(toFile: "\(marker.path)", atomically: false, encoding: .utf8)
            \(honestDot)
            """)
    }

    @Test("a class of correct, partial, broken, looping, hungry and forging submissions: every one graded at its honest score, resumable")
    func gradesAClass() throws {
        let c = Class()
        let marker = c.root.appendingPathComponent("escaped")
        try c.add("alice")
        try c.add("bob", layout: "")                                                    // flat folder
        try c.add("carol", overrides: ["DotProduct.swift": Self.dot("    return 0")])  // partly correct
        try c.add("dave", stub: true)
        try c.add("erin", overrides: ["Metrics.swift": "this is not Swift"])           // does not compile
        try c.add("frank", overrides: ["DotProduct.swift": Self.dot("    var s: Float = 0\n    while s >= 0 { s += 1 }\n    return s")])
        try c.add("grace", overrides: ["DotProduct.swift": Self.dot("    var keep: [[Float]] = []\n    while true { keep.append([Float](repeating: 1, count: 1 << 20)) }")])
        try c.add("mallory", stub: true, overrides: ["DotProduct.swift": Self.forgeEvents])
        try c.add("oscar", overrides: ["DotProduct.swift": Self.daemon(marker)])
        let graders = [Self.toolkit.appendingPathComponent("Graders/\(Self.lesson)"), c.out.appendingPathComponent(".batch/graders/\(Self.lesson)")]
        try c.add("trudy", overrides: ["DotProduct.swift": Self.graderWriter(graders, marker: marker)])
        try "not a submission".write(to: c.subs.appendingPathComponent("zed.txt"), atomically: true, encoding: .utf8)
        // Archives: a zip of a workspace, a tar.gz of a flat folder, and a zip that reaches outside.
        let solutions = try Self.files.map { ($0, [UInt8](try Data(contentsOf: Self.toolkit.appendingPathComponent("Solutions/\(Self.lesson)/\($0)")))) }
        try Data(ArchiveBytes.zip(solutions.map { ArchiveBytes.ZipEntry(name: "work/Lessons/\(Self.lesson)/\($0.0)", data: $0.1) }))
            .write(to: c.subs.appendingPathComponent("henry.zip"))
        try Data(ArchiveBytes.gzip(ArchiveBytes.tar(solutions.map { ArchiveBytes.tarEntry($0.0, data: $0.1) })))
            .write(to: c.subs.appendingPathComponent("ivy.tar.gz"))
        try Data(ArchiveBytes.zip(solutions.map { ArchiveBytes.ZipEntry(name: $0.0, data: $0.1) }
                                  + [ArchiveBytes.ZipEntry(name: "../../escaped", data: [1])]))
            .write(to: c.subs.appendingPathComponent("judy.zip"))

        // A hidden check that fails on the reference solution stops the run before any student.
        try c.addHiddenGrader(expecting: "dot(a, b) + 1")
        let refused = try c.grade()
        #expect(refused.status != 0 && refused.output.contains("must pass on the reference solutions")
                && refused.output.contains("dot product is linear"), "\(refused.output)")
        try c.addHiddenGrader()

        let first = try c.grade()
        #expect(first.status == 0, "\(first.output)")
        let alice = try c.report("alice")
        let total = alice.possible
        #expect(total > 10 && alice.earned == total, "reference solution: \(alice.earned)/\(total)")
        let dotPoints = alice.lessons[0].checks.filter { $0.id.contains("DotProductGrader") || $0.isHidden }.reduce(0) { $0 + $1.points }
        #expect(try c.report("bob").earned == total)
        let carol = try c.report("carol")
        #expect(carol.earned == total - dotPoints, "only the dot-product checks fail, the hidden one too")
        let hiddenCheck = carol.lessons[0].checks.first { $0.isHidden }
        #expect(hiddenCheck?.status == .failed && hiddenCheck?.visibility == .afterDueDate && hiddenCheck?.points == 3)
        for file in ["students/carol.json", "feedback/carol.html", "gradescope/carol/results.json", "junit.xml"] {
            let text = try String(contentsOf: c.out.appendingPathComponent(file), encoding: .utf8)
            #expect(!text.contains("1234.5"), "\(file) shows the hidden check's input")
        }
        #expect(try c.report("dave").earned == 0)
        let erin = try c.report("erin")
        #expect(erin.earned == 0 && erin.possible == total && erin.lessons[0].problems.contains { $0.contains("does not compile") })
        let frank = try c.report("frank")
        #expect(frank.lessons[0].checks.contains { $0.status == .timedOut } && frank.earned == total - dotPoints)
        let grace = try c.report("grace")
        #expect(grace.lessons[0].checks.contains { $0.status == .crashed && $0.messages.joined().contains("memory") }, "\(grace.lessons[0].checks.map(\.messages))")
        for forger in ["mallory", "oscar", "trudy"] {
            let report = try c.report(forger)
            #expect(report.earned == 0 && report.lessons[0].voided, "\(forger): \(report.earned), \(report.lessons.first?.problems ?? [])")
        }
        #expect(try c.report("mallory").lessons[0].problems.joined().contains("CommandLine"))
        #expect(try c.report("zed.txt").problems.joined().contains("neither a folder nor"))
        #expect(try c.report("henry").earned == total && c.report("ivy").earned == total, "archives of correct code")
        let judy = try c.report("judy")
        #expect(judy.lessons.isEmpty && judy.problems.joined().contains("../../escaped"), "\(judy.problems)")
        #expect(!FileManager.default.fileExists(atPath: c.out.appendingPathComponent(".batch/escaped").path))
        Thread.sleep(forTimeInterval: 2.5)
        #expect(!FileManager.default.fileExists(atPath: marker.path), "a forging submission wrote outside its folder")
        let records = try FileManager.default.contentsOfDirectory(atPath: c.out.appendingPathComponent("students").path)
        #expect(records.count == 14, "every entry has its record: \(records)")
        let csv = try String(contentsOf: c.out.appendingPathComponent("grades.csv"), encoding: .utf8)
        for student in ["alice", "bob", "carol", "dave", "erin", "frank", "grace", "mallory", "oscar", "trudy", "zed.txt", "henry", "ivy", "judy"] {
            #expect(csv.contains("\n\(student),"), "grades.csv has a row for \(student)")
        }
        let html = try String(contentsOf: c.out.appendingPathComponent("feedback/alice.html"), encoding: .utf8)
        #expect(html.contains("alice") && html.contains("dot product"), "alice's feedback page lists her checks")
        let gradescope = try JSONSerialization.jsonObject(with: Data(contentsOf: c.out.appendingPathComponent("gradescope/carol/results.json"))) as? [String: Any]
        #expect((gradescope?["score"] as? Double).map { Int($0) } == total - dotPoints, "carol's Gradescope score")

        // Resume: nothing is graded again; a changed submission is.
        try Self.dot("    return 0").write(to: c.subs.appendingPathComponent("bob/DotProduct.swift"), atomically: true, encoding: .utf8)
        let second = try c.grade()
        #expect(second.output.components(separatedBy: "(done before)").count - 1 == 13, "\(second.output)")
        #expect(try c.report("bob").earned == total - dotPoints)

        // Without the capability check, the sandbox alone: a process left behind voids the lesson,
        // and a submission's writes (graders, anywhere outside its scratch folder) fail, so it
        // earns its honest score. (Same report folder: the jobs' builds are reused.)
        guard Sandbox.isAvailable else { return }
        try FileManager.default.moveItem(at: c.subs, to: c.root.appendingPathComponent("subs1"))
        try c.add("oscar2", overrides: ["DotProduct.swift": Self.daemon(marker)])
        let writable = graders + (0..<1).map { c.out.appendingPathComponent(".batch/job-\($0)/.course/harness/Graders/\(Self.lesson)") }
        try c.add("trudy2", overrides: ["DotProduct.swift": Self.graderWriter(writable, marker: marker)])
        let before = try Self.graderDigest()
        let third = try c.grade(environment: ["COURSE_BATCH_SKIP_CAPABILITY_CHECK": "1"])
        #expect(third.status == 0, "\(third.output)")
        let oscar = try c.report("oscar2")
        #expect(oscar.lessons[0].voided && oscar.lessons[0].problems.joined().contains("left processes running"), "\(oscar.lessons[0].problems)")
        let trudy = try c.report("trudy2")
        #expect(trudy.earned == total, "its honest score: the code is correct, its writes fail")
        Thread.sleep(forTimeInterval: 2.5)
        #expect(!FileManager.default.fileExists(atPath: marker.path), "a submission wrote outside its folder")
        #expect(try Self.graderDigest() == before, "the toolkit's graders are untouched")
    }

    static func graderDigest() throws -> String {
        let folder = toolkit.appendingPathComponent("Graders/\(lesson)")
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted().map {
            PristineGraders.sha256Hex(try Data(contentsOf: folder.appendingPathComponent($0)))
        }.joined()
    }
}
}
