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
