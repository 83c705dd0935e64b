import Foundation

/// Many mutants of one file compiled into one build (mutant schemata).
///
/// Each change (a mutant or a variant) replaces text inside one function body. The schema keeps
/// the function and puts the mutated copy of its body in front of the original, guarded by the
/// change's number:
///
///     public func dot(_ a: [Float], _ b: [Float]) -> Float {
///         if MutantSchema.active == 3 {
///             …the body with change 3 applied…
///         }
///         …the original body…
///     }
///
/// `MutantSchema.active` (NeuralKit) reads `COURSE_ACTIVE_MUTANT`, so one build serves every
/// change and `course verify` runs the graders once per change instead of building once per
/// change. A body that falls off its end (a function returning nothing, an initialiser) gets a
/// `return` after the copy. A change outside any function body (a stored property, a signature)
/// cannot be guarded this way and is built on its own.
public enum MutantSchemata {
    /// One change to place: its number (what `COURSE_ACTIVE_MUTANT` selects) and its text edit.
    public struct Change: Sendable {
        public let number: Int
        public let replace: String
        public let with: String

        public init(number: Int, replace: String, with: String) {
            self.number = number
            self.replace = replace
            self.with = with
        }
    }

    /// The schema of one file.
    /// - Returns: the file's text with every change that could be placed, the numbers of those,
    ///   and the numbers of those that could not (outside a function body, or not found once).
    public static func schema(of original: String, changes: [Change]) -> (text: String, placed: [Int], unplaced: [Int]) {
        let bytes = Array(original.utf8)
        let scan = SwiftScan(bytes)
        var insertions: [(offset: Int, text: [UInt8])] = []
        var placed: [Int] = [], unplaced: [Int] = []
        for change in changes {
            let target = Array(change.replace.utf8)
            let hits = occurrences(of: target, in: bytes)
            guard hits.count == 1, let start = hits.first,
                  let body = scan.innermostFunctionBody(containing: start..<(start + target.count)) else {
                unplaced.append(change.number)
                continue
            }
            var copy = Array(bytes[(body.open + 1)..<start]) + Array(change.with.utf8)
            copy += bytes[(start + target.count)..<body.close]
            let head = "\n        if MutantSchema.active == \(change.number) {"
            let tail = body.returnsValue ? "\n        }\n" : "\n        return\n        }\n"
            insertions.append((body.open + 1, Array(head.utf8) + copy + Array(tail.utf8)))
            placed.append(change.number)
        }
        var result = bytes
        // From the end, so that earlier offsets stay valid; equal offsets keep the changes' order.
        for insertion in insertions.enumerated().sorted(by: { ($0.element.offset, $0.offset) > ($1.element.offset, $1.offset) }) {
            result.insert(contentsOf: insertion.element.text, at: insertion.element.offset)
        }
        return (String(decoding: result, as: UTF8.self), placed, unplaced)
    }

    static func occurrences(of needle: [UInt8], in haystack: [UInt8]) -> [Int] {
        guard !needle.isEmpty, needle.count <= haystack.count else { return [] }
        var found: [Int] = []
        for i in 0...(haystack.count - needle.count) where haystack[i] == needle[0] {
            if Array(haystack[i..<(i + needle.count)]) == needle { found.append(i) }
        }
        return found
    }
}

/// The code structure of a Swift file that schemata need: which bytes are code (not comments or
/// string literals), and the pairs of braces.
struct SwiftScan {
    let bytes: [UInt8]
    private(set) var isCode: [Bool]
    private(set) var braces: [(open: Int, close: Int)] = []

    private enum Mode { case code, interpolation(depth: Int), lineComment, blockComment(depth: Int), string(multiline: Bool) }

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        isCode = Array(repeating: false, count: bytes.count)
        var modes: [Mode] = [.code]
        var opens: [Int] = []
        let (slash, star, quote, backslash, newline) = (UInt8(ascii: "/"), UInt8(ascii: "*"), UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "\n"))
        func at(_ i: Int) -> UInt8 { i < bytes.count ? bytes[i] : 0 }
        var i = 0
        while i < bytes.count {
            let c = bytes[i]
            switch modes[modes.count - 1] {
            case .code, .interpolation:
                if c == slash && at(i + 1) == slash { modes.append(.lineComment); i += 2; continue }
                if c == slash && at(i + 1) == star { modes.append(.blockComment(depth: 1)); i += 2; continue }
                if c == quote {
                    let multiline = at(i + 1) == quote && at(i + 2) == quote
                    modes.append(.string(multiline: multiline))
                    i += multiline ? 3 : 1
                    continue
                }
                isCode[i] = true
                if c == UInt8(ascii: "{") { opens.append(i) }
                if c == UInt8(ascii: "}"), let open = opens.popLast() { braces.append((open, i)) }
                if case let .interpolation(depth) = modes[modes.count - 1] {
                    if c == UInt8(ascii: "(") { modes[modes.count - 1] = .interpolation(depth: depth + 1) }
                    if c == UInt8(ascii: ")") {
                        if depth <= 1 { isCode[i] = false; modes.removeLast() } else { modes[modes.count - 1] = .interpolation(depth: depth - 1) }
                    }
                }
                i += 1
            case .lineComment:
                if c == newline { modes.removeLast() }
                i += 1
            case let .blockComment(depth):
                if c == star && at(i + 1) == slash {
                    if depth <= 1 { modes.removeLast() } else { modes[modes.count - 1] = .blockComment(depth: depth - 1) }
                    i += 2
                } else if c == slash && at(i + 1) == star {
                    modes[modes.count - 1] = .blockComment(depth: depth + 1)
                    i += 2
                } else {
                    i += 1
                }
            case let .string(multiline):
                if c == backslash {
                    if at(i + 1) == UInt8(ascii: "(") { modes.append(.interpolation(depth: 1)); i += 2 } else { i += 2 }
                } else if multiline && c == quote && at(i + 1) == quote && at(i + 2) == quote {
                    modes.removeLast(); i += 3
                } else if !multiline && c == quote {
                    modes.removeLast(); i += 1
                } else {
                    i += 1
                }
            }
        }
    }

    /// The innermost function (or initialiser) body whose braces strictly contain `range`, and
    /// whether the function returns a value.
    func innermostFunctionBody(containing range: Range<Int>) -> (open: Int, close: Int, returnsValue: Bool)? {
        let enclosing = braces.filter { $0.open < range.lowerBound && range.upperBound <= $0.close }
            .sorted { $0.open > $1.open }
        for pair in enclosing {
            let header = self.header(before: pair.open)
            guard header.range(of: Self.declaration, options: .regularExpression) != nil else { continue }
            return (pair.open, pair.close, Self.returnsValue(header))
        }
        return nil
    }

    /// A function or initialiser declaration in a header.
    static let declaration = #"(^|[^A-Za-z0-9_])(func\s|init\s*[?!]?\s*[(<])"#

    /// The code (comments and strings left out) between the previous `{`, `}` or `;` and `open`.
    func header(before open: Int) -> String {
        var start = open - 1
        while start >= 0 && !(isCode[start] && [UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: ";")].contains(bytes[start])) {
            start -= 1
        }
        let code = ((start + 1)..<open).filter { isCode[$0] }.map { bytes[$0] }
        return String(decoding: code, as: UTF8.self)
    }

    /// Whether a function header declares a result: `->` after its parameter list.
    static func returnsValue(_ header: String) -> Bool {
        // The declaration is the last `func`/`init` of the header (earlier text may be properties).
        var search = header.startIndex..<header.endIndex
        var last: Range<String.Index>? = nil
        while let found = header.range(of: SwiftScan.declaration, options: .regularExpression, range: search) {
            last = found
            search = found.upperBound..<header.endIndex
        }
        guard let name = last, let open = header[name.lowerBound...].firstIndex(of: "(") else { return false }
        var depth = 0
        var index = open
        while index < header.endIndex {
            if header[index] == "(" { depth += 1 }
            if header[index] == ")" { depth -= 1; if depth == 0 { break } }
            index = header.index(after: index)
        }
        guard index < header.endIndex else { return false }
        return header[header.index(after: index)...].contains("->")
    }
}

/// The name of the environment variable that selects a mutant in a schema build: NeuralKit's
/// `MutantSchema.environmentKey` (CourseKit does not link NeuralKit).
public enum MutantSchemaKey {
    public static let environmentKey = "COURSE_ACTIVE_MUTANT"
}
