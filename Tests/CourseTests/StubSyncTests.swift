import Foundation
import Testing
@testable import CourseKit

/// The committed stubs must be exactly what the solutions generate.
@Suite struct StubSyncTests {
    @Test func committedStubsMatchTheirSolutions() throws {
        let toolkit = try Toolkit(root: CourseCLI.toolkit)
        #expect(!toolkit.lessons.isEmpty)
        let drifts = try StubGenerator.check(toolkit)
        #expect(drifts.isEmpty, "\(drifts.map(\.description).joined(separator: "\n"))")
    }

    @Test func everyLessonFileHasAGraderAndEveryCheckHasPoints() throws {
        let toolkit = try Toolkit(root: CourseCLI.toolkit)
        for lesson in toolkit.lessons {
            let folder = toolkit.graders(lesson)
            let graders = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
            // A file given whole (no BEGIN SOLUTION: code the student reads and uses) needs no grader.
            for file in lesson.files where try String(contentsOf: toolkit.solution(lesson, file), encoding: .utf8).contains("// BEGIN SOLUTION") {
                let name = file.replacingOccurrences(of: ".swift", with: "Grader.swift")
                #expect(graders.contains(name), "lesson \(lesson.id): \(file) has no \(name)")
            }
            for grader in graders {
                let text = try String(contentsOf: folder.appendingPathComponent(grader), encoding: .utf8)
                for line in text.split(separator: "\n") where line.contains("@Test") {
                    #expect(line.contains(".points("), "\(lesson.slug)/\(grader): `\(line.trimmingCharacters(in: .whitespaces))` declares no points")
                }
            }
        }
    }
}
