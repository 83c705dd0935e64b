import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import NeuralKit

/// Parses SVG text with `XMLParser` and keeps every element with its attributes, text and parent,
/// so tests can ask what the file really holds.
final class SVGInspector: NSObject, XMLParserDelegate {
    struct Element {
        let name: String
        let attributes: [String: String]
        var text: String
        let parent: Int?
    }
    private(set) var elements: [Element] = []
    private var open: [Int] = []

    /// The parsed document, or nil when the text is not well-formed XML.
    static func parse(_ svg: String) -> SVGInspector? {
        let inspector = SVGInspector()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = inspector
        return parser.parse() ? inspector : nil
    }

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]) {
        elements.append(Element(name: elementName, attributes: attributeDict, text: "", parent: open.last))
        open.append(elements.count - 1)
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let current = open.last { elements[current].text += string }
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        open.removeLast()
    }

    /// Indices of the ancestors of element `index`, nearest first.
    func ancestors(of index: Int) -> [Int] {
        var result: [Int] = []
        var current = elements[index].parent
        while let c = current { result.append(c); current = elements[c].parent }
        return result
    }

    /// Elements named `name`, optionally only those inside a group whose `class` is `groupClass`.
    func elements(_ name: String, inside groupClass: String? = nil) -> [(index: Int, element: Element)] {
        elements.enumerated().filter { index, element in
            element.name == name && (groupClass == nil
                || ancestors(of: index).contains { elements[$0].attributes["class"] == groupClass })
        }.map { (index: $0.offset, element: $0.element) }
    }

    /// The first element whose `class` is `className`.
    func first(withClass className: String) -> Element? { elements.first { $0.attributes["class"] == className } }

    /// The plot area from the clip path's rectangle: (left, top, width, height).
    var plotArea: (Double, Double, Double, Double)? {
        guard let clip = elements.firstIndex(where: { $0.name == "clipPath" }),
              let rect = elements.first(where: { $0.name == "rect" && $0.parent == clip }) else { return nil }
        return (value(rect, "x"), value(rect, "y"), value(rect, "width"), value(rect, "height"))
    }

    func value(_ element: Element, _ attribute: String) -> Double { Double(element.attributes[attribute] ?? "") ?? .nan }
}

extension Tensor {
    /// A (N, 2) tensor of points.
    static func points(_ pairs: [(Float, Float)]) -> Tensor {
        Tensor(shape: [pairs.count, 2], scalars: pairs.flatMap { [$0.0, $0.1] })
    }
}
