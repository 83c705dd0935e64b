import Foundation
import Testing

/// Creating, completing and resetting workspaces with the real `course` binary.
extension CLIEndToEnd {
@Suite struct WorkspaceEndToEndTests {
    @Test func initCreatesEveryLessonsStubsAndAManifest() throws {
        let root = SharedWorkspace.root
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("Package.swift").path))
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("Lessons/00-warmup/README.md").path))
        for name in SharedWorkspace.files {
            #expect(FileManager.default.fileExists(atPath: SharedWorkspace.file(name).path), "\(name) missing")
        }
    }

    @Test func initOverAnExistingWorkspaceOverwritesNothingAndAddsWhatIsMissing() throws {
        try SharedWorkspace.install(stub: true)
        try SharedWorkspace.edit("Affine.swift", replacing: "return unimplemented", with: "// my work\n    return unimplemented")
        try FileManager.default.removeItem(at: SharedWorkspace.file("Logistic.swift"))
        let before = try String(contentsOf: SharedWorkspace.file("Affine.swift"), encoding: .utf8)
        let result = try CourseCLI.run(["init", SharedWorkspace.root.path], in: FileManager.default.temporaryDirectory)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("already a workspace"), "\(result.output)")
        #expect(result.output.contains("+ Lessons/00-warmup/Logistic.swift"), "\(result.output)")
        #expect(try String(contentsOf: SharedWorkspace.file("Affine.swift"), encoding: .utf8) == before)
        #expect(FileManager.default.fileExists(atPath: SharedWorkspace.file("Logistic.swift").path))
    }

    @Test func initRefusesAFolderThatHoldsOtherFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("course-e2e-busy-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "mine".write(to: folder.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CourseCLI.run(["init", folder.path], in: FileManager.default.temporaryDirectory)
        #expect(result.status == 2)
        #expect(result.output.contains("is not a course workspace"), "\(result.output)")
        #expect(try String(contentsOf: folder.appendingPathComponent("notes.txt"), encoding: .utf8) == "mine")
    }

    @Test func resetRestoresTheStubAfterBackingUpTheStudentsFile() throws {
        try SharedWorkspace.install(stub: false)
        let mine = try String(contentsOf: SharedWorkspace.file("DotProduct.swift"), encoding: .utf8)
        let result = try SharedWorkspace.course("reset", "00", "DotProduct.swift")
        #expect(result.status == 0, "\(result.output)")
        let stub = try String(contentsOf: CourseCLI.toolkit.appendingPathComponent("Lessons/00-warmup/DotProduct.swift"), encoding: .utf8)
        #expect(try String(contentsOf: SharedWorkspace.file("DotProduct.swift"), encoding: .utf8) == stub)
        // The output names the backup folder, which holds the student's version.
        let line = result.output.split(separator: "\n").first { $0.contains("saved in ") } ?? ""
        let folder = line.components(separatedBy: "saved in ").last ?? ""
        let backup = URL(fileURLWithPath: folder).appendingPathComponent("Lessons/00-warmup/DotProduct.swift")
        #expect(try String(contentsOf: backup, encoding: .utf8) == mine, "\(result.output)")
    }

    @Test func hintsComeOneMoreEachTime() throws {
        let first = try SharedWorkspace.course("hint", "00", "--again")
        let next = try SharedWorkspace.course("hint", "00")
        let count = { (text: String) in text.components(separatedBy: "Hint ").count - 1 }
        #expect(next.status == 0)
        #expect(count(next.output) == max(count(first.output), 0) + 1, "\(first.output)\n---\n\(next.output)")
    }

    @Test func unknownLessonsAndOptionsGetMessagesThatNameTheFix() throws {
        let lesson = try SharedWorkspace.course("grade", "42")
        #expect(lesson.status == 2)
        #expect(lesson.output.contains("There is no lesson '42'. Lessons: 00 (00-warmup)"), "\(lesson.output)")
        let option = try SharedWorkspace.course("grade", "--fast")
        #expect(option.status == 2)
        #expect(option.output.contains("has no option --fast"), "\(option.output)")
        let outside = try CourseCLI.run(["status"], in: FileManager.default.temporaryDirectory)
        #expect(outside.status == 2)
        #expect(outside.output.contains("course init"), "\(outside.output)")
    }
}
}

/// A workspace copied elsewhere grades: its stale grading build is noticed and made again.
extension CLIEndToEnd {
@Suite struct RelocationEndToEndTests {
    @Test func aCopiedWorkspaceIsGradedAfterItsBuildIsMadeAgain() throws {
        try SharedWorkspace.install(stub: false)
        _ = try SharedWorkspace.course("grade", "00")          // the original has a grading build
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("course-e2e-copy-\(UUID().uuidString.prefix(6))")
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.copyItem(at: SharedWorkspace.root, to: copy)
        let result = try CourseCLI.run(["grade", "00"], in: copy)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("This workspace was moved or copied (its grading build was made in \(SharedWorkspace.root.path))"), "\(result.output)")
        #expect(!result.output.contains("could not be built"), "\(result.output)")
    }
}
}
