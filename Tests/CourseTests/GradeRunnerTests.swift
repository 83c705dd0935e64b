import Foundation
import Testing
@testable import CourseKit

@Suite struct GradeRunnerPieceTests {
    @Test func skipPatternsMatchATestIDLiterally() throws {
        let id = "WarmUpGraders.DotProductGrader/smallVectors()/DotProductGrader.swift:7:6"
        let pattern = regexEscaped(id)
        #expect(id.range(of: pattern, options: .regularExpression) != nil)
        let other = "WarmUpGraders.DotProductGrader/smallVectorsX()/DotProductGrader.swift:7:6"
        #expect(other.range(of: pattern, options: .regularExpression) == nil)
    }

    @Test func eventRecordsGiveTheCommentOfAnIssueFirst() throws {
        let line = #"{"kind":"event","payload":{"kind":"issueRecorded","messages":[{"symbol":"fail","text":"Issue recorded"},{"symbol":"details","text":"z1 has shape (3, 2), expected (2, 3)"}],"testID":"A.B/c()/B.swift:1:1"},"version":0}"#
        let record = try JSONDecoder().decode(EventRecord.self, from: Data(line.utf8))
        #expect(record.issueText == "z1 has shape (3, 2), expected (2, 3)")
        let expectation = #"{"kind":"event","payload":{"kind":"issueRecorded","messages":[{"symbol":"fail","text":"Expectation failed: x == 1"},{"symbol":"details","text":"why"}],"testID":"A"},"version":0}"#
        #expect(try JSONDecoder().decode(EventRecord.self, from: Data(expectation.utf8)).issueText == "Expectation failed: x == 1\nwhy")
    }

    @Test func aCrashIsSummarisedWithTheRuntimeMessageAndTheStudentsLine() throws {
        let toolkit = try Toolkit(root: CourseCLI.toolkit)
        let workspace = Workspace(root: URL(fileURLWithPath: "/tmp/ws"), toolkit: toolkit)
        let harness = Harness(workspace: workspace)
        let output = """
            Swift/ContiguousArrayBuffer.swift:692: Fatal error: Index out of range
            *** Program crashed: Illegal instruction at 0x00007f765f16df7f ***
              0 [ra] 0x1 closure in Array.subscript in libswiftCore.so
              3 [ra] 0x000055b5895a0c4d dot(_:_:) + 108 in CourseHarnessPackageTests.xctest at /tmp/ws/.course/harness/Lessons/00-warmup/DotProduct.swift:16:33
              5 [ra] 0x000055b58959f201 DotProductGrader.smallVectors() + 160 in x at /tmp/ws/.course/harness/Graders/00-warmup/DotProductGrader.swift:9:9
            """
        #expect(CrashReport(output: output, harness: harness).summary == "crashed: Fatal error: Index out of range — DotProduct.swift:16")
        let overflow = "*** Program crashed: Illegal instruction at 0x1 ***\n  0 0x1 Swift runtime failure: arithmetic overflow in x at /tmp/ws/.course/harness/Lessons/00-warmup/Metrics.swift:20:5\n"
        #expect(CrashReport(output: overflow, harness: harness).summary == "crashed: Swift runtime failure: arithmetic overflow — Metrics.swift:20")
    }

    @Test func lessonsAreFoundByNumberOrName() throws {
        let toolkit = try Toolkit(root: CourseCLI.toolkit)
        for name in ["0", "00", "warmup", "00-warmup"] {
            #expect(try toolkit.lesson(named: name).slug == "00-warmup")
        }
        #expect(throws: CourseError.self) { try toolkit.lesson(named: "9") }
    }
}
