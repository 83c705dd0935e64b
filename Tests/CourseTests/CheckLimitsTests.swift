import Foundation
import Testing
@testable import CourseKit

/// How long a check may run: 20× its reference time, at least 2 s, at most the lesson's limit, per
/// seed (so `course verify --seeds N` gives each check N of them).
@Suite struct CheckLimitsTests {
    @Test func limitsScaleWithTheReferenceTimeAndAddUpOverSeeds() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("limits-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("Lessons/01-x"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("// swift-tools-version: 6.0\n".utf8).write(to: folder.appendingPathComponent("Package.swift"))
        let json = #"{"title": "t", "module": "MX", "files": ["A.swift"], "hints": [], "timeLimitSeconds": 10}"#
        try Data(json.utf8).write(to: folder.appendingPathComponent("Lessons/01-x/lesson.json"))
        let toolkit = try Toolkit(root: folder)
        let lesson = toolkit.lessons[0]
        var limits = CheckLimits(lessons: [], toolkit: toolkit)
        limits.references = ["MXGraders.G/slow()": 1.0, "MXGraders.G/fast()": 0.01, "MXGraders.G/middle()": 0.2]
        func time(_ name: String, _ seeds: Int) -> Double {
            limits.time(for: "MXGraders.G/\(name)()/G.swift:3:5", lesson: lesson, seeds: seeds)
        }
        #expect(time("middle", 1) == 4)     // 20 × 0.2 s
        #expect(time("fast", 1) == 2)       // the floor
        #expect(time("slow", 1) == 10)      // the lesson's limit
        #expect(time("middle", 5) == 20)    // five runs of 4 s
        #expect(time("slow", 20) == 200)    // twenty runs, each at most the lesson's limit
        #expect(time("unknown", 3) == 30)   // no reference time: the lesson's limit per run
        limits.timeOverride = 7
        #expect(time("slow", 20) == 7)      // --time-limit replaces everything
    }
}
