import CourseGrading
import Foundation
import NeuralKit

// The graders' own Reber grammar: the automaton, strings drawn from it, and the set of symbols
// that may follow every prefix. Symbols in the lesson's order B T P S X V E (indices 0…6).
//
//     state 0 —B→ 1;  1 —T→ 2, 1 —P→ 3;  2 —S→ 2, 2 —X→ 4;  3 —T→ 3, 3 —V→ 5;
//     4 —X→ 3, 4 —S→ 6;  5 —P→ 4, 5 —V→ 6;  6 —E→ end
//
// The embedded grammar wraps one Reber string: B, then T or P, the string, the same T or P, E.
// Only the symbol after the inner string needs memory of a symbol many steps back.

enum ReferenceReber {
    static let symbols: [Character] = ["B", "T", "P", "S", "X", "V", "E"]
    static let (B, T, P, S, X, V, E) = (0, 1, 2, 3, 4, 5, 6)

    /// state → [(symbol, next state)]; state 7 is the end.
    static let transitions: [[(symbol: Int, next: Int)]] = [
        [(B, 1)], [(T, 2), (P, 3)], [(S, 2), (X, 4)], [(T, 3), (V, 5)],
        [(X, 3), (S, 6)], [(P, 4), (V, 6)], [(E, 7)], [],
    ]

    /// A Reber string drawn with fair choices; at most `maximumLength` symbols (redrawn otherwise).
    static func plain(_ g: inout SeededGenerator, maximumLength: Int = 20) -> [Int] {
        while true {
            var state = 0, string: [Int] = []
            while state != 7 {
                let choices = transitions[state]
                let (symbol, next) = choices[g.nextInt(below: choices.count)]
                string.append(symbol)
                state = next
            }
            if string.count <= maximumLength { return string }
        }
    }

    /// An embedded Reber string: B, T or P, a Reber string, the same T or P, E.
    static func embedded(_ g: inout SeededGenerator, maximumLength: Int = 24) -> [Int] {
        let branch = g.nextInt(below: 2) == 0 ? T : P
        return [B, branch] + plain(&g, maximumLength: maximumLength - 4) + [branch, E]
    }

    /// The symbols allowed after each prefix of a plain Reber string: entry t is the set that may
    /// follow string[0…t] (empty after E); nil when the string leaves the grammar.
    static func plainNextSets(_ string: [Int]) -> [Set<Int>]? {
        var state = 0, sets: [Set<Int>] = []
        for symbol in string {
            guard let step = transitions[state].first(where: { $0.symbol == symbol }) else { return nil }
            state = step.next
            sets.append(Set(transitions[state].map(\.symbol)))
        }
        return state == 7 ? sets : nil
    }

    /// The same for an embedded string: {T, P} after B, {B} after the branch symbol, the inner
    /// automaton's sets inside, {the branch symbol} after the inner E, {E} after it, {} after E.
    static func embeddedNextSets(_ string: [Int]) -> [Set<Int>]? {
        guard string.count >= 9, string[0] == B, [T, P].contains(string[1]), string[string.count - 2] == string[1],
              string.last == E, var inner = plainNextSets(Array(string[2..<(string.count - 2)])) else { return nil }
        inner[inner.count - 1] = [string[1]]
        return [[T, P], [B]] + inner + [[E], []]
    }

    /// Whether `string` is an embedded Reber string.
    static func isEmbedded(_ string: [Int]) -> Bool { embeddedNextSets(string) != nil }

    /// The string as letters, e.g. "BTBPVVETE".
    static func text(_ string: [Int]) -> String { String(string.map { $0 >= 0 && $0 < 7 ? symbols[$0] : "?" }) }
}

/// The sampling distribution in Double: p_k = softmax(logits / τ)_k.
func samplingProbabilities(_ logits: [Float], temperature τ: Double) -> [Double] {
    let scaled = logits.map { Double($0) / τ }
    let top = scaled.max() ?? 0
    let e = scaled.map { Foundation.exp($0 - top) }
    let total = e.reduce(0, +)
    return e.map { $0 / total }
}
