import CourseGrading
import Foundation
import NeuralKit
import RecurrentNetwork
import Testing

/// ReberGrammar.nextSymbolTargets: the sets of possible next symbols, for the lesson's example
/// and for fresh plain and embedded strings drawn by the grader's own automaton (ReferenceReber.swift).
@Suite struct ReberGrader {
    /// Checks the targets of `string` against the grader's sets (all but the set after the final E).
    static func expectTargets(_ grammar: ReberGrammar, _ string: [Int], _ sets: [Set<Int>], sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let L = string.count
        let got = grammar.nextSymbolTargets(string)
        let name = "nextSymbolTargets(\(ReferenceReber.text(string))) (\(grammar.embedded ? "embedded" : "plain") grammar)"
        guard expectShape(got, [L - 1, 7], name, sourceLocation: sourceLocation) else { return false }
        for t in 0..<(L - 1) {
            let row = (0..<7).map { got[t, $0] }
            let expected = (0..<7).map { sets[t].contains($0) ? Float(1) : 0 }
            if row != expected {
                let letters = { (r: [Float]) in String((0..<7).filter { r[$0] == 1 }.map { ReferenceReber.symbols[$0] }) }
                recordFailure("\(name): row \(t) (after \(ReferenceReber.text(Array(string[0...t])))) marks \(row.map { String(format: "%g", $0) }) = {\(letters(row))}, "
                              + "expected {\(letters(expected))}", sourceLocation: sourceLocation)
                return false
            }
        }
        return true
    }

    @Test("nextSymbolTargets gives the lesson's example: BTSXXTVVE → after B {T, P}, after BT {S, X}, …, after BTSXXTVV {E}", .points(1))
    func lessonExample() {
        let string = ReberGrammar.symbols(of: "BTSXXTVVE")
        _ = Self.expectTargets(ReberGrammar(embedded: false), string, ReferenceReber.plainNextSets(string)!)
    }

    @Test("nextSymbolTargets marks exactly the possible next symbols of fresh plain Reber strings", .points(2))
    func plainStrings() {
        var g = GradingSeed.generator("Reber.plain")
        let grammar = ReberGrammar(embedded: false)
        for _ in 0..<8 {
            let string = ReferenceReber.plain(&g)
            guard Self.expectTargets(grammar, string, ReferenceReber.plainNextSets(string)!) else { return }
        }
    }

    @Test("nextSymbolTargets of fresh embedded strings: the inner string's sets, and after the inner E only the symbol that followed the first B", .points(2))
    func embeddedStrings() {
        var g = GradingSeed.generator("Reber.embedded")
        let grammar = ReberGrammar(embedded: true)
        for _ in 0..<8 {
            let string = ReferenceReber.embedded(&g)
            guard Self.expectTargets(grammar, string, ReferenceReber.embeddedNextSets(string)!) else { return }
        }
    }
}
