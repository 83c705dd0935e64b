import Foundation
import Testing

/// The student's loop, end to end, with the real `course` binary in a temporary workspace.
extension CLIEndToEnd {
@Suite struct GradeEndToEndTests {
    @Test func untouchedStubsFailEveryCheckAsNotImplementedWithoutCrashing() throws {
        try SharedWorkspace.install(stub: true)
        let result = try SharedWorkspace.course("grade", "00")
        #expect(result.status == 1, "grading stubs must fail\n\(result.output)")
        #expect(result.output.contains("0 of 14 checks pass"), "\(result.output)")
        #expect(result.output.contains("not implemented yet (DotProduct.swift:"), "\(result.output)")
        // Shown as not implemented (…), not as a failure: the runner and the graders agree on the text.
        #expect(result.output.contains("  … dot product of [1, 2, 3] and [4, 5, 6] is 32"), "\(result.output)")
        #expect(!result.output.contains("crashed"), "\(result.output)")
        #expect(!result.output.contains("✔"), "\(result.output)")
    }

    @Test func referenceSolutionsPassEveryCheck() throws {
        try SharedWorkspace.install(stub: false)
        let result = try SharedWorkspace.course("grade", "00")
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("21/21 points · 14 of 14 checks pass"), "\(result.output)")
    }

    @Test func aTrapFailsOnlyTheChecksThatReachItWithTheCrashMessage() throws {
        try SharedWorkspace.install(stub: false)
        try SharedWorkspace.edit("DotProduct.swift", replacing: "total += a[k] * b[k]", with: "total += a[k] * b[k + 1]")
        let result = try SharedWorkspace.course("grade", "00")
        #expect(result.status == 1)
        #expect(result.output.contains("crashed: Fatal error: Index out of range — DotProduct.swift:16"), "\(result.output)")
        // The three dot-product checks crash; the other nine still run and pass.
        #expect(result.output.contains("11 of 14 checks pass"), "\(result.output)")
    }

    @Test func aShapeMismatchInStudentCodeNamesTheOperationBothShapesAndTheLine() throws {
        // NeuralKit is optimised; its messages must survive that (precondition's would not).
        try SharedWorkspace.install(stub: false)
        try SharedWorkspace.edit("Affine.swift", replacing: "return x.matmul(weights) + bias", with: "return x.matmul(weights.T) + bias")
        let result = try SharedWorkspace.course("grade", "00")
        #expect(result.output.contains("crashed: Fatal error: matmul: (1, 2) × (3, 2) — inner dimensions 2 and 3 differ — Affine.swift:17"),
                "\(result.output)")
    }

    @Test func anEndlessLoopTimesOutAndTheOtherChecksStillRun() throws {
        try SharedWorkspace.install(stub: false)
        try SharedWorkspace.edit("Metrics.swift", replacing: "let correct = zip(", with: "while !labels.isEmpty { }\n    let correct = zip(")
        let result = try SharedWorkspace.course("grade", "00", "--time-limit", "3")
        #expect(result.status == 1)
        #expect(result.output.contains("timed out after 3 s"), "\(result.output)")
        #expect(result.output.contains("13 of 14 checks pass"), "\(result.output)")
    }

    @Test func graderFilesEditedInTheWorkspaceAndPrintedSuccessChangeNothing() throws {
        try SharedWorkspace.install(stub: true)
        // A grader in the harness rewritten to pass everything, and a grader folder of one's own.
        let harnessGraders = SharedWorkspace.root.appendingPathComponent(".course/harness/Graders/00-warmup")
        for name in (try? FileManager.default.contentsOfDirectory(atPath: harnessGraders.path)) ?? [] {
            try "import Testing\n@Test func alwaysPasses() {}\n".write(to: harnessGraders.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let own = SharedWorkspace.root.appendingPathComponent("Graders/00-warmup")
        try FileManager.default.createDirectory(at: own, withIntermediateDirectories: true)
        try "import Testing\n@Test func alwaysPasses() {}\n".write(to: own.appendingPathComponent("DotProductGrader.swift"), atomically: true, encoding: .utf8)
        // Student code that prints what a passing run prints.
        try SharedWorkspace.edit("DotProduct.swift", replacing: "return unimplemented(0)",
                                 with: "print(\"✔ Test run with 12 tests passed\")\n    return unimplemented(0)")
        let result = try SharedWorkspace.course("grade", "00")
        #expect(result.status == 1)
        #expect(result.output.contains("0 of 14 checks pass"), "\(result.output)")
        try FileManager.default.removeItem(at: SharedWorkspace.root.appendingPathComponent("Graders"))
    }

    @Test func aCompileErrorNamesTheStudentsFileAndLineAndTheLessonThatCouldNotBeBuilt() throws {
        try SharedWorkspace.install(stub: false)
        try SharedWorkspace.edit("Metrics.swift", replacing: "return Double(correct) / Double(labels.count)",
                                 with: "return Double(correct) / labels.count")
        let result = try SharedWorkspace.course("grade", "00")
        #expect(result.status == 1)
        #expect(result.output.contains("Lessons/00-warmup/Metrics.swift:"), "\(result.output)")
        #expect(result.output.contains("error:"), "\(result.output)")
        #expect(result.output.contains("Could not be built: lesson 00"), "\(result.output)")
    }

    @Test func aFileRestoredRightAfterAGradeIsGradedAsRestored() throws {
        // The pattern of `course verify`: break one file, grade, restore it and break another
        // within the same second, grade again. The second grade must see the restored file.
        try SharedWorkspace.install(stub: false)
        try SharedWorkspace.edit("Affine.swift", replacing: "return x.matmul(weights) + bias", with: "return x.matmul(weights)")
        let broken = try SharedWorkspace.course("grade", "00")
        #expect(broken.output.contains("12 of 14 checks pass"), "\(broken.output)")
        try SharedWorkspace.install(stub: false)
        try SharedWorkspace.edit("Logistic.swift", replacing: "Foundation.exp(-v)", with: "Foundation.exp(v)")
        let next = try SharedWorkspace.course("grade", "00")
        #expect(next.output.contains("✔ affine layer gives the lesson's example"), "\(next.output)")
        #expect(next.output.contains("12 of 14 checks pass"), "\(next.output)")
    }

    @Test func statusAndListShowTheSavedGrade() throws {
        try SharedWorkspace.install(stub: false)
        _ = try SharedWorkspace.course("grade", "00")
        let status = try SharedWorkspace.course("status")
        #expect(status.status == 0)
        #expect(status.output.contains("21/21"), "\(status.output)")
        let list = try SharedWorkspace.course("list")
        #expect(list.output.contains("21/21 points"), "\(list.output)")
    }
}
}
