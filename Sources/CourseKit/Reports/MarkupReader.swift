import Foundation

/// Reads XML-like text (an SVG document) as a stream of text and tags, forgivingly: what is not
/// a well-formed tag is text. It works on the UTF-8 bytes, since all markup syntax is ASCII and
/// no byte of a multi-byte UTF-8 character is.
///
/// Comments, processing instructions (`<?xml …?>`) and declarations (`<!DOCTYPE …>`, with its
/// internal subset) are skipped; CDATA sections come out as text. Text and attribute values come
/// out with the predefined entities and character references decoded (`Markup.decodeEntities`).
struct MarkupReader {
    /// A piece of the document.
    enum Token {
        case text(String)
        case startTag(Tag)
        case endTag(String)
    }

    /// A start tag: `<rect width="3" fill='red'/>`.
    struct Tag {
        var name: String
        var attributes: [(name: String, value: String)] = []
        /// Whether it closes itself (`/>`): an element without content.
        var isEmpty = false
    }

    private let bytes: [UInt8]
    private var position = 0

    /// - Parameter text: the document, e.g. `<svg><!-- c --><text>a &lt; b</text></svg>` reads as
    ///   start tag svg, start tag text, text "a < b", end tag text, end tag svg.
    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// The next piece of the document, nil at its end.
    mutating func next() -> Token? {
        while position < bytes.count {
            guard bytes[position] == UInt8(ascii: "<") else {
                let end = find("<", from: position) ?? bytes.count
                defer { position = end }
                return .text(Markup.decodeEntities(string(position..<end)))
            }
            if startsWith("<!--") {
                position = find("-->", from: position + 4).map { $0 + 3 } ?? bytes.count
            } else if startsWith("<![CDATA[") {
                let end = find("]]>", from: position + 9) ?? bytes.count
                defer { position = min(bytes.count, end + 3) }
                return .text(string(position + 9..<end))
            } else if startsWith("<!") {
                skipDeclaration()
            } else if startsWith("<?") {
                position = find("?>", from: position + 2).map { $0 + 2 } ?? bytes.count
            } else if let (token, end) = tag(at: position) {
                position = end
                return token
            } else {
                position += 1
                return .text("<")
            }
        }
        return nil
    }

    /// Skips `<!…>`, and a `[ … ]` internal subset before its `>`.
    private mutating func skipDeclaration() {
        guard let close = find(">", from: position) else { position = bytes.count; return }
        if let bracket = find("[", from: position), bracket < close, let end = find("]", from: bracket) {
            position = find(">", from: end).map { $0 + 1 } ?? bytes.count
        } else {
            position = close + 1
        }
    }

    /// The tag starting at `start` (a `<`) and the position after it, nil if none is well formed.
    private func tag(at start: Int) -> (Token, Int)? {
        var i = start + 1
        let isEnd = i < bytes.count && bytes[i] == UInt8(ascii: "/")
        if isEnd { i += 1 }
        guard let name = name(at: &i) else { return nil }
        var tag = Tag(name: name)
        while true {
            skipSpace(&i)
            guard i < bytes.count else { return nil }
            if bytes[i] == UInt8(ascii: ">") { return (isEnd ? .endTag(name) : .startTag(tag), i + 1) }
            if bytes[i] == UInt8(ascii: "/"), i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: ">"), !isEnd {
                tag.isEmpty = true
                return (.startTag(tag), i + 2)
            }
            guard !isEnd, let attribute = self.name(at: &i) else { return nil }
            skipSpace(&i)
            var value = ""
            if i < bytes.count, bytes[i] == UInt8(ascii: "=") {
                i += 1
                skipSpace(&i)
                guard i < bytes.count else { return nil }
                if bytes[i] == UInt8(ascii: "\"") || bytes[i] == UInt8(ascii: "'") {
                    guard let end = bytes[(i + 1)...].firstIndex(of: bytes[i]) else { return nil }
                    value = string(i + 1..<end)
                    i = end + 1
                } else {
                    let end = bytes[i...].firstIndex { isSpace($0) || $0 == UInt8(ascii: ">") } ?? bytes.count
                    value = string(i..<end)
                    i = end
                }
            }
            tag.attributes.append((attribute, Markup.decodeEntities(value)))
        }
    }

    /// A name `[A-Za-z_][A-Za-z0-9_.:-]*` at `i`, moving `i` past it.
    private func name(at i: inout Int) -> String? {
        func isStart(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20) || byte == UInt8(ascii: "_")
        }
        guard i < bytes.count, isStart(bytes[i]) else { return nil }
        let start = i
        while i < bytes.count, isStart(bytes[i]) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[i])
                || bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: ":") {
            i += 1
        }
        return string(start..<i)
    }

    private func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
    }

    private func skipSpace(_ i: inout Int) {
        while i < bytes.count, isSpace(bytes[i]) { i += 1 }
    }

    private func startsWith(_ marker: String) -> Bool {
        bytes[position...].starts(with: marker.utf8)
    }

    /// Where `marker` next occurs at or after `start`.
    private func find(_ marker: String, from start: Int) -> Int? {
        let pattern = Array(marker.utf8)
        guard start < bytes.count, pattern.count <= bytes.count else { return nil }
        var i = start
        while i + pattern.count <= bytes.count {
            if bytes[i] == pattern[0], bytes[i..<(i + pattern.count)].elementsEqual(pattern) { return i }
            i += 1
        }
        return nil
    }

    private func string(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }
}
