import Foundation

/// Makes an SVG document safe to place inside the feedback page.
///
/// Figures come from the student's experiment, so their SVG is student-controlled. The sanitiser
/// reads it as a stream of tags and text and writes a new document from what it keeps:
/// - elements: only drawing ones (`allowedElements`: shapes, text, groups, gradients, clip paths…);
///   any other — `<script>`, `<foreignObject>`, `<style>`, `<image>`, `<a>`, animations — is
///   dropped together with everything inside it;
/// - attributes: names must be plain; event handlers (`on…`), namespace declarations (`xmlns…`,
///   not needed inline), links (`href`, `xlink:href`) other than to `#an-id` in the same figure,
///   values with `url(…)` other than `url(#an-id)`, with `javascript:`-style schemes, and `style`
///   values with CSS escapes or `@import` are dropped;
/// - comments, processing instructions, `<!DOCTYPE …>` (with its entity declarations) are
///   dropped; text and CDATA are decoded and escaped again, so nothing in them is markup.
/// A dropped element ends at the end tag of its name (a `</g>` inside a script's text does not end
/// it); kept tags are closed in order, whatever the input's nesting. The page also forbids every
/// external load and script by its content security policy; this is the first line.
enum SVGSanitizer {
    /// The SVG elements kept (with their allowed attributes).
    static let allowedElements: Set<String> = [
        "svg", "g", "defs", "title", "desc", "symbol", "use", "path", "rect", "circle", "ellipse",
        "line", "polyline", "polygon", "text", "tspan", "textPath", "clipPath", "mask", "marker",
        "pattern", "linearGradient", "radialGradient", "stop",
    ]

    /// `svg` reduced to what `SVGSanitizer` keeps, as markup to place in an HTML page.
    /// - Parameters:
    ///   - svg: an SVG document, e.g. `<svg><script>x()</script><rect onclick="y()" width="3"/></svg>`
    ///     → `<svg><rect width="3" /></svg>`.
    ///   - idPrefix: put before every `id` and every reference to one (`#a`, `url(#a)`), so that
    ///     figures on one page, which all share a document, keep their ids apart: with "f1-",
    ///     `id="plot-area"` → `id="f1-plot-area"`, `clip-path="url(#plot-area)"` → `url(#f1-plot-area)`.
    static func sanitize(_ svg: String, idPrefix: String = "") -> String {
        var reader = MarkupReader(svg)
        var output = ""
        var open: [String] = []
        // The element being dropped, and how many elements of its name are open inside it.
        var dropping: (name: String, depth: Int)?
        while let token = reader.next() {
            switch token {
            case .text(let text):
                if dropping == nil { output += Markup.escape(text) }
            case .endTag(let name):
                if let (dropped, depth) = dropping {
                    if name == dropped { dropping = depth > 1 ? (dropped, depth - 1) : nil }
                } else if let index = open.lastIndex(of: name) {
                    for name in open[index...].reversed() { output += "</\(name)>" }
                    open.removeSubrange(index...)
                }
            case .startTag(let tag):
                if let (dropped, depth) = dropping {
                    if tag.name == dropped && !tag.isEmpty { dropping = (dropped, depth + 1) }
                } else if !allowedElements.contains(tag.name) {
                    if !tag.isEmpty { dropping = (tag.name, 1) }
                } else {
                    output += "<" + tag.name
                    for (name, value) in tag.attributes where isAllowed(name, value) {
                        output += " \(name)=\"\(Markup.escape(prefixingIDs(name, value, idPrefix), attribute: true))\""
                    }
                    if tag.isEmpty { output += " />" } else { output += ">"; open.append(tag.name) }
                }
            }
        }
        for name in open.reversed() { output += "</\(name)>" }
        return output
    }

    /// An attribute's value with `prefix` put before the id it names or refers to.
    static func prefixingIDs(_ name: String, _ value: String, _ prefix: String) -> String {
        guard !prefix.isEmpty else { return value }
        let name = name.lowercased()
        if name == "id" { return prefix + value }
        if name == "href" || name.hasSuffix(":href") { return "#" + prefix + value.drop { $0 != "#" }.dropFirst() }
        var value = value
        for opening in ["url(#", "url('#", "url(\"#"] {
            value = value.replacingOccurrences(of: opening, with: opening + prefix)
        }
        return value
    }

    /// Whether an attribute of a kept element is kept.
    /// - Parameters:
    ///   - name: the attribute's name as written, e.g. "fill", "xlink:href".
    ///   - value: its value, entities decoded.
    static func isAllowed(_ name: String, _ value: String) -> Bool {
        let lowered = name.lowercased()
        if lowered.hasPrefix("on") || lowered.hasPrefix("xmlns") { return false }
        // Compare without whitespace and control characters, which browsers skip inside schemes.
        let compact = String(String.UnicodeScalarView(value.lowercased().unicodeScalars.filter { $0.value > 0x20 }))
        if lowered == "href" || lowered.hasSuffix(":href") { return compact.hasPrefix("#") }
        for scheme in ["javascript:", "vbscript:", "data:", "http:", "https:", "file:", "//"] where compact.contains(scheme) {
            return false
        }
        if lowered == "style" && (compact.contains("\\") || compact.contains("@import") || compact.contains("expression(")) {
            return false
        }
        var search = compact[...]
        while let range = search.range(of: "url(") {
            let target = search[range.upperBound...].drop { $0 == "\"" || $0 == "'" }
            if !target.hasPrefix("#") { return false }
            search = search[range.upperBound...]
        }
        return true
    }
}
