import Foundation

/// One SVG element: a name, attributes in the order given, and either text or child elements.
///
/// A tiny builder, enough for plots: `SVGElement("circle", ["cx": "3", "cy": "4", "r": "2"])`.
/// Attribute values and text are escaped when the document is rendered, so any string (a title
/// such as `"x < y & z"`) is safe.
public struct SVGElement: Sendable {
    /// The element name, e.g. `rect`, `circle`, `g`, `text`.
    public var name: String
    /// Attribute names and values, written in this order.
    public var attributes: [(name: String, value: String)]
    /// Text content (for `text` and `title`), escaped when rendered.
    public var text: String?
    /// Nested elements (for `g`, `defs`, `clipPath`).
    public var children: [SVGElement]

    /// Creates an element.
    /// - Parameters:
    ///   - name: the element name.
    ///   - attributes: name–value pairs, in order; values are unescaped strings.
    ///   - text: optional text content.
    ///   - children: nested elements.
    public init(_ name: String, _ attributes: KeyValuePairs<String, String> = [:], text: String? = nil,
                children: [SVGElement] = []) {
        self.name = name
        self.attributes = attributes.map { (name: $0.key, value: $0.value) }
        self.text = text
        self.children = children
    }

    /// Appends to `output` the XML of this element and its children.
    func render(into output: inout String, indent: Int) {
        output += String(repeating: " ", count: indent)
        output += "<" + name
        for attribute in attributes {
            output += " " + attribute.name + "=\"" + SVGDocument.escape(attribute.value) + "\""
        }
        if let text {
            output += ">" + SVGDocument.escape(text) + "</" + name + ">\n"
        } else if children.isEmpty {
            output += "/>\n"
        } else {
            output += ">\n"
            for child in children { child.render(into: &output, indent: indent + 1) }
            output += String(repeating: " ", count: indent) + "</" + name + ">\n"
        }
    }
}

/// A standalone SVG image that any browser opens: a canvas of `width` × `height` pixels, origin top
/// left, y growing downwards, holding `elements` drawn in order (later ones on top).
///
/// The plots in `Plot` return one; `svg` is its text and `write(to:)` saves it:
///
///     try Plot.scatter(points: x, labels: y, title: "Two moons").write(to: URL(fileURLWithPath: "moons.svg"))
public struct SVGDocument: Sendable, CustomStringConvertible {
    /// Canvas width in pixels.
    public var width: Double
    /// Canvas height in pixels.
    public var height: Double
    /// The top-level elements, drawn in order.
    public var elements: [SVGElement]

    /// An empty canvas.
    public init(width: Double, height: Double, elements: [SVGElement] = []) {
        require(width > 0 && height > 0, "SVGDocument: the canvas must have a positive size, got \(width) × \(height)")
        self.width = width
        self.height = height
        self.elements = elements
    }

    /// Adds an element on top of those already there.
    public mutating func append(_ element: SVGElement) { elements.append(element) }

    /// Adds elements on top of those already there.
    public mutating func append(contentsOf newElements: [SVGElement]) { elements.append(contentsOf: newElements) }

    /// The complete SVG file as text (UTF-8 XML with the SVG namespace).
    public var svg: String {
        var output = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        let w = SVGDocument.number(width), h = SVGDocument.number(height)
        output += "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"\(w)\" height=\"\(h)\" "
        output += "viewBox=\"0 0 \(w) \(h)\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
        for element in elements { element.render(into: &output, indent: 1) }
        output += "</svg>\n"
        return output
    }

    /// The SVG text, so that `print(document)` shows it.
    public var description: String { svg }

    /// Saves the SVG text to a file (UTF-8), replacing any file already there.
    /// - Throws: `PlotError.cannotWrite` saying which file and why, e.g. a missing folder.
    public func write(to url: URL) throws {
        do {
            try Data(svg.utf8).write(to: url, options: .atomic)
        } catch {
            throw PlotError.cannotWrite(path: url.path, reason: error.localizedDescription)
        }
    }

    // MARK: Text helpers

    /// Escapes text for XML content and attribute values: `& < > " '` become entities, and control
    /// characters that XML forbids (all below U+0020 except tab, newline, return) are dropped.
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&apos;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20 && scalar.value != 0xFFFE && scalar.value != 0xFFFF {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }

    /// A coordinate written compactly: at most two decimals, no trailing zeros (`12`, `3.5`, `-0.25`).
    /// Non-finite values (which SVG cannot hold) are written as `0`.
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let hundredths = (value * 100).rounded()
        if hundredths == 0 { return "0" }
        let magnitude = Swift.abs(hundredths)
        guard magnitude < 1e15 else { return String(value) }
        let whole = Int(magnitude) / 100, fraction = Int(magnitude) % 100
        var text = hundredths < 0 ? "-" : ""
        text += String(whole)
        if fraction != 0 {
            text += fraction % 10 == 0 ? "." + String(fraction / 10) : (fraction < 10 ? ".0" : ".") + String(fraction)
        }
        return text
    }
}

/// What went wrong when saving a plot.
public enum PlotError: Error, CustomStringConvertible, Equatable {
    /// The file could not be written.
    case cannotWrite(path: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotWrite(path, reason):
            return "Could not write the plot to \(path): \(reason). Check that the folder exists and is writable."
        }
    }
}
