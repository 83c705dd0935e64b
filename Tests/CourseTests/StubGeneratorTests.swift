import Testing
@testable import CourseKit

@Suite struct StubGeneratorTests {
    @Test func replacesTheSolutionWithTheStubLines() throws {
        let solution = """
            func f() -> Int {
                // TODO: return 1
                // BEGIN SOLUTION
                return 1
                // END SOLUTION
                // STUB: return unimplemented(0)
            }
            """
        let stub = try StubGenerator.stub(fromSolution: solution, name: "F.swift")
        #expect(stub == """
            func f() -> Int {
                // TODO: return 1
                return unimplemented(0)
            }
            """)
    }
}

@Suite struct StubGeneratorErrorTests {
    @Test func anUnclosedRegionIsReportedWithItsLine() {
        let text = "func f() -> Int {\n    // BEGIN SOLUTION\n    return 1\n}\n"
        #expect(throws: CourseError.self) { try StubGenerator.stub(fromSolution: text, name: "F.swift") }
        do { _ = try StubGenerator.stub(fromSolution: text, name: "F.swift") } catch {
            #expect("\(error)".contains("F.swift:2: BEGIN SOLUTION is never closed"))
        }
    }

    @Test func aRegionWithoutStubLinesIsRejected() {
        let text = "func f() -> Int {\n    // BEGIN SOLUTION\n    return 1\n    // END SOLUTION\n}\n"
        do {
            _ = try StubGenerator.stub(fromSolution: text, name: "F.swift")
            Issue.record("a region without `// STUB:` lines should be rejected")
        } catch {
            #expect("\(error)".contains("F.swift:4: END SOLUTION needs `// STUB:` lines"))
        }
    }

    @Test func anEndWithoutBeginIsRejected() {
        #expect(throws: CourseError.self) {
            try StubGenerator.stub(fromSolution: "// END SOLUTION\n// STUB: x\n", name: "F.swift")
        }
    }

    @Test func textOutsideTheMarkersIsKeptExactly() throws {
        let text = "// header\n\nlet a = 1 // BEGIN SOLUTION is only a marker on its own line\n"
        #expect(try StubGenerator.stub(fromSolution: text, name: "F.swift") == text)
    }
}
