@testable import CourseKit
import Testing

/// Mutant schemata: each change inside a function body becomes a guarded copy of that body; what
/// cannot be guarded is reported, to be built on its own.
@Suite struct MutantSchemataTests {
    static let source = """
        import NeuralKit

        // A comment with a func keyword and a { brace.
        public struct Line {
            public static let origin = Line(slope: 0)
            public var slope: Float
            public init(slope: Float) {
                self.slope = slope
            }
        }

        public func scaled(_ x: [Float], by k: Float) -> [Float] {
            let label = "braces { in } a string \\(x.count) and \\("nested")"
            return x.map { v in v * k }
        }

        public func log(_ x: Float) {
            print(x)
        }
        """

    func change(_ number: Int, _ replace: String, _ with: String) -> MutantSchemata.Change {
        .init(number: number, replace: replace, with: with)
    }

    @Test func aChangeInAFunctionBodyBecomesAGuardedCopyOfTheBody() {
        let schema = MutantSchemata.schema(of: Self.source, changes: [change(4, "v * k", "v + k")])
        #expect(schema.placed == [4] && schema.unplaced.isEmpty)
        let expected = """
            public func scaled(_ x: [Float], by k: Float) -> [Float] {
                    if MutantSchema.active == 4 {
                    let label = "braces { in } a string \\(x.count) and \\("nested")"
                    return x.map { v in v + k }
                    }

                    let label = "braces { in } a string \\(x.count) and \\("nested")"
                    return x.map { v in v * k }
                }
            """
        func compact(_ text: String) -> String { text.filter { !$0.isWhitespace } }
        #expect(compact(schema.text).contains(compact(expected)), "\(schema.text)")
    }

    @Test func bodiesThatReturnNothingReturnAfterTheCopy() {
        let schema = MutantSchemata.schema(of: Self.source, changes: [
            change(0, "print(x)", "print(-x)"), change(1, "self.slope = slope", "self.slope = -slope"),
        ])
        #expect(schema.placed == [0, 1])
        #expect(schema.text.contains("if MutantSchema.active == 0 {\n    print(-x)\n\n        return\n        }"), "\(schema.text)")
        #expect(schema.text.contains("if MutantSchema.active == 1 {\n        self.slope = -slope\n    \n        return\n        }"), "\(schema.text)")
    }

    @Test func changesOutsideABodyOrNotFoundOnceAreLeftToBeBuiltAlone() {
        let schema = MutantSchemata.schema(of: Self.source, changes: [
            change(0, "Line(slope: 0)", "Line(slope: 1)"),        // a stored property
            change(1, "public var slope: Float", "var slope: Float"),
            change(2, "x", "y"),                                  // occurs many times
            change(3, "not there", "anything"),
            change(5, "v * k", "v - k"),
        ])
        #expect(schema.placed == [5])
        #expect(schema.unplaced == [0, 1, 2, 3])
    }

    @Test func severalChangesOfOneFunctionKeepTheirOrder() {
        let schema = MutantSchemata.schema(of: Self.source, changes: [change(7, "v * k", "v - k"), change(2, "v * k", "k")])
        let seven = schema.text.range(of: "active == 7")
        let two = schema.text.range(of: "active == 2")
        #expect(seven != nil && two != nil && seven!.lowerBound < two!.lowerBound)
    }

    @Test func headersReadAsReturningAValueOnlyWithAnArrowAfterTheParameters() {
        #expect(SwiftScan.returnsValue("public func f(_ x: Float) -> Float "))
        #expect(!SwiftScan.returnsValue("public func f(loss: (Tensor) -> Float) "))
        #expect(!SwiftScan.returnsValue("var initialised: Bool\n public init(slope: Float) "))
    }
}
