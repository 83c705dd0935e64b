import NeuralKit

// The Reber grammar: strings over the 7 symbols B T P S X V E made by walking a small automaton
// (a finite-state machine) from its start, choosing each outgoing arrow with equal probability:
//
//     state 0 ─B→ 1        state 1 ─T→ 2, ─P→ 3        state 2 ─S→ 2, ─X→ 4
//     state 3 ─T→ 3, ─V→ 5                             state 4 ─X→ 3, ─S→ 6
//     state 5 ─P→ 4, ─V→ 6                             state 6 ─E→ 7 (the end)
//
// e.g. BTSSXXTVVE or BPVPSE. The embedded grammar wraps a Reber string between a second symbol
// T or P and the same symbol again before the final E:
//
//     B T <Reber string> T E      or      B P <Reber string> P E
//
// The task is to predict, after each symbol, the SET of symbols that may come next (usually two).
// Everything is local except the second-to-last symbol: to know whether T or P comes before the
// final E a model must remember the second symbol across the whole inner string. A plain RNN's
// gradient from that prediction back to the second symbol shrinks with every step between them.

/// The (plain or embedded) Reber grammar as an automaton.
public struct ReberGrammar: Sendable {
    /// The 7 symbols; a symbol is an index into this list.
    public static let symbols: [Character] = ["B", "T", "P", "S", "X", "V", "E"]
    /// C = 7.
    public static var symbolCount: Int { symbols.count }

    /// True for the embedded grammar.
    public let embedded: Bool
    /// For each state, its outgoing arrows (symbol, next state); the start is state 0, a state with
    /// no arrows is the end.
    public let arrows: [[(symbol: Int, next: Int)]]

    /// The automaton of the plain or the embedded grammar.
    public init(embedded: Bool) {
        self.embedded = embedded
        let (B, T, P, S, X, V, E) = (0, 1, 2, 3, 4, 5, 6)
        // The plain automaton with states offset by `o` and its E leading to `exit`.
        func reber(_ o: Int, exit: Int) -> [[(symbol: Int, next: Int)]] {
            [[(B, o + 1)], [(T, o + 2), (P, o + 3)], [(S, o + 2), (X, o + 4)], [(T, o + 3), (V, o + 5)],
             [(X, o + 3), (S, o + 6)], [(P, o + 4), (V, o + 6)], [(E, exit)]]
        }
        if embedded {
            // 0 ─B→ 1; 1 ─T→ inner copy at 2 (exit 9), ─P→ inner copy at 10 (exit 17);
            // 9 ─T→ 18, 17 ─P→ 18; 18 ─E→ 19 (the end).
            arrows = [[(B, 1)], [(T, 2), (P, 10)]] + reber(2, exit: 9) + [[(T, 18)]]
                + reber(10, exit: 17) + [[(P, 18)], [(E, 19)], []]
        } else {
            arrows = reber(0, exit: 7) + [[]]
        }
    }

    /// A random string of the grammar, from B to E.
    /// - Parameter g: the generator of the choices (one `nextInt(below: 2)` at every state with two arrows).
    /// - Returns: the symbols, e.g. [0, 1, 3, 4, 4, 1, 5, 5, 6] for BTSXXTVVE.
    public func generate(using g: inout SeededGenerator) -> [Int] {
        var (state, string) = (0, [Int]())
        while !arrows[state].isEmpty {
            let options = arrows[state]
            let arrow = options.count == 1 ? options[0] : options[g.nextInt(below: options.count)]
            string.append(arrow.symbol)
            state = arrow.next
        }
        return string
    }

    /// The string's letters, e.g. "BTSXXTVVE".
    public static func text(_ string: [Int]) -> String {
        String(string.map { symbols[$0] })
    }

    /// The symbols of a text such as "BPVPSE".
    public static func symbols(of text: String) -> [Int] {
        text.map { c in
            guard let k = symbols.firstIndex(of: c) else { preconditionFailure("ReberGrammar: \(c) is not one of BTPSXVE") }
            return k
        }
    }

    /// The symbols one-hot, one row per symbol.
    /// - Parameter string: L symbols.
    /// - Returns: shape (L, 7). Example: BTE → [[1,0,0,0,0,0,0], [0,1,0,0,0,0,0], [0,0,0,0,0,0,1]].
    public static func oneHotSymbols(_ string: [Int]) -> Tensor {
        var x = Tensor.zeros(string.count, symbolCount)
        for (t, s) in string.enumerated() { x[t, s] = 1 }
        return x
    }

    /// What may follow each prefix of a string of the grammar: the prediction targets.
    /// - Parameter string: L symbols of a string of this grammar, B … E.
    /// - Returns: shape (L − 1, 7): row t has a 1 for every symbol that may follow string[0…t], 0 elsewhere.
    ///   Example (plain grammar): BTSXXTVVE → row 0 (after B) T and P, row 1 (after BT) S and X, row 2
    ///   (after BTS) S and X, …, row 7 (after BTSXXTVV) only E.
    public func nextSymbolTargets(_ string: [Int]) -> Tensor {
        precondition(string.count >= 2, "nextSymbolTargets: needs at least two symbols, got \(string.count)")
        // TODO: walk the automaton: state = 0; for t in 0..<L − 1: follow the arrow of `arrows[state]` whose
        // symbol is string[t] (state = its `next`), then set y[t, s] = 1 for the symbol s of every arrow
        // leaving the new state.
        // BEGIN SOLUTION
        var y = Tensor.zeros(string.count - 1, ReberGrammar.symbolCount)
        var state = 0
        for t in 0..<(string.count - 1) {
            guard let arrow = arrows[state].first(where: { $0.symbol == string[t] }) else {
                preconditionFailure("nextSymbolTargets: \(ReberGrammar.text(string)) is not a string of the grammar (symbol \(t))")
            }
            state = arrow.next
            for next in arrows[state] { y[t, next.symbol] = 1 }
        }
        return y
        // END SOLUTION
        // STUB: return unimplemented(Tensor.zeros(string.count - 1, ReberGrammar.symbolCount))
    }

    /// Strings of equal length as a batch for `NextSymbolModel`: inputs every symbol but the last,
    /// targets the sets that follow them.
    /// - Parameter strings: N strings of the grammar, all of length L.
    /// - Returns: inputs, L − 1 tensors (N, 7) (step t: one-hot string[t] of each string), and targets,
    ///   L − 1 tensors (N, 7) (step t: row t of `nextSymbolTargets`).
    public func batch(_ strings: [[Int]]) -> (inputs: [Tensor], targets: [Tensor]) {
        precondition(!strings.isEmpty && strings.allSatisfy { $0.count == strings[0].count },
                     "ReberGrammar.batch: needs strings of one length, got lengths \(strings.map(\.count))")
        let L = strings[0].count
        let x = strings.map { ReberGrammar.oneHotSymbols($0) }   // N of (L, 7)
        let y = strings.map { nextSymbolTargets($0) }             // N of (L − 1, 7)
        let inputs = (0..<(L - 1)).map { t in Tensor.concatenate(x.map { $0.row(t) }, axis: 0) }
        let targets = (0..<(L - 1)).map { t in Tensor.concatenate(y.map { $0.row(t) }, axis: 0) }
        return (inputs, targets)
    }

    /// Strings grouped by length into batches of at most `size` (a batch needs one length).
    /// - Parameters:
    ///   - strings: strings of the grammar, any lengths.
    ///   - size: the largest batch.
    /// - Returns: index lists into `strings`, lengths in increasing order, each string once.
    public static func lengthBatches(_ strings: [[Int]], size: Int) -> [[Int]] {
        precondition(size >= 1, "ReberGrammar.lengthBatches: size must be ≥ 1")
        let byLength = Dictionary(grouping: strings.indices, by: { strings[$0].count })
        return byLength.keys.sorted().flatMap { L in
            let members = byLength[L]!
            return stride(from: 0, to: members.count, by: size).map { Array(members[$0..<min($0 + size, members.count)]) }
        }
    }

    /// Whether predicted probabilities solve a string: at every step, the symbols with p > ½ are
    /// exactly the possible ones.
    /// - Parameters:
    ///   - probabilities: σ(logits), shape (L − 1, 7).
    ///   - targets: `nextSymbolTargets` of the string, shape (L − 1, 7).
    public static func solves(probabilities p: Tensor, targets y: Tensor) -> Bool {
        precondition(p.shape == y.shape, "ReberGrammar.solves: shapes \(p.shapeDescription) and \(y.shapeDescription) differ")
        return zip(p.scalars, y.scalars).allSatisfy { ($0 > 0.5) == ($1 > 0.5) }
    }
}
