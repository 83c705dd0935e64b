import Foundation

/// Escaping shared by the XML and HTML reports.
///
/// Everything the reports print may come from a student: ids are archive names, messages quote
/// the student's values, a crash message quotes whatever their code wrote. So every piece of text
/// goes through `escape` on its way into markup, which also drops the characters XML 1.0 does not
/// allow at all (NUL, ESC, the other C0 controls but tab, line feed and carriage return, U+FFFE,
/// U+FFFF): a single one makes a whole junit.xml unreadable.
enum Markup {
    /// Whether XML 1.0 allows `scalar` in a document (its production `Char`):
    /// #x9 | #xA | #xD | [#x20–#xD7FF] | [#xE000–#xFFFD] | [#x10000–#x10FFFF].
    /// (Swift strings hold no surrogates, so [#xD800–#xDFFF] never occurs.)
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD: true
        case 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// `text` made safe as element content or as a quoted attribute value (either quote):
    /// `& < > " '` become entities and forbidden characters are dropped.
    /// - Parameters:
    ///   - text: e.g. `<img onerror="x">` → `&lt;img onerror=&quot;x&quot;&gt;`.
    ///   - attribute: whether the text goes into an attribute: then tab, line feed and carriage
    ///     return become character references, which an XML reader keeps (it turns literal ones
    ///     into spaces).
    static func escape(_ text: String, attribute: Bool = false) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars where isAllowed(scalar) {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\n" where attribute: result += "&#10;"
            case "\r" where attribute: result += "&#13;"
            case "\t" where attribute: result += "&#9;"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// Replaces the five predefined XML entities and numeric character references by the
    /// characters they stand for; any other `&name;` is left as written (escaping it again then
    /// shows it literally). Used on SVG text before it is escaped again, so that `&amp;` stays `&`.
    /// - Parameter text: e.g. "a &lt; b &#x26; c &foo;" → "a < b & c &foo;".
    static func decodeEntities<S: StringProtocol>(_ text: S) -> String {
        guard text.contains("&") else { return String(text) }
        var result = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            result += rest[..<amp]
            let tail = rest[amp...]
            guard let semicolon = tail.prefix(12).firstIndex(of: ";") else {
                result += "&"
                rest = rest[rest.index(after: amp)...]
                continue
            }
            let name = tail[tail.index(after: amp)..<semicolon]
            if let character = character(for: name) {
                result.unicodeScalars.append(character)
            } else {
                result += tail[...semicolon]
            }
            rest = tail[tail.index(after: semicolon)...]
        }
        return result + rest
    }

    /// The character of an entity or character reference's name ("lt", "#60", "#x3C").
    private static func character(for name: Substring) -> Unicode.Scalar? {
        switch name {
        case "lt": return "<"
        case "gt": return ">"
        case "amp": return "&"
        case "quot": return "\""
        case "apos": return "'"
        default:
            guard name.hasPrefix("#") else { return nil }
            let digits = name.dropFirst()
            let value = digits.hasPrefix("x") || digits.hasPrefix("X") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            return value.flatMap(Unicode.Scalar.init)
        }
    }
}
