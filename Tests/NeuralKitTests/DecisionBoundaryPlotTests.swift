import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import NeuralKit

/// Decision-boundary plots: regions in the right place and colour, files of bounded size.
@Suite struct DecisionBoundaryPlotTests {
    // MARK: Decision boundary

    /// Points in [0, 1]², class 1 right of u = 0.5.
    static let square = Tensor.points([(0, 0), (0, 1), (1, 0), (1, 1), (0.2, 0.5), (0.8, 0.5)])
    static let squareLabels = [0, 0, 1, 1, 0, 1]

    /// Checks that class 0 fills exactly the left half of the plot area and class 1 the right half.
    static func expectLeftAndRightHalves(_ document: SVGDocument) throws {
        let svg = try #require(SVGInspector.parse(document.svg))
        let (left, _, width, height) = try #require(svg.plotArea)
        let middle = left + width / 2
        for (k, inLeftHalf) in [(0, true), (1, false)] {
            let group = try #require(svg.first(withClass: "region-\(k)"))
            #expect(group.attributes["fill"] == Palette.lightColor(k))
            let rects = svg.elements("rect", inside: "region-\(k)").map(\.element)
            #expect(!rects.isEmpty)
            var area = 0.0
            for r in rects {
                let (x, w) = (svg.value(r, "x"), svg.value(r, "width"))
                area += w * svg.value(r, "height")
                if inLeftHalf { #expect(x >= left - 0.01 && x + w <= middle + 0.02) }
                else { #expect(x >= middle - 0.02 && x + w <= left + width + 0.01) }
            }
            #expect(abs(area - width * height / 2) < width * height * 0.001, "class \(k) covers half the plot")
        }
        #expect(svg.elements("circle", inside: "points").count == squareLabels.count)
    }

    @Test func linearClassifierRegionsLieLeftAndRight() throws {
        var calls = 0
        let document = Plot.decisionBoundary(points: Self.square, labels: Self.squareLabels, title: "linear") { grid -> [Int] in
            calls += 1
            #expect(grid.shape == [200 * 200, 2])
            // The grid covers the data's range plus 10% on each side.
            #expect(abs(grid.column(0).min() - (-0.1 + 0.6 / 200)) < 1e-5 && abs(grid.column(1).max() - (1.1 - 0.6 / 200)) < 1e-5)
            return (0..<grid.shape[0]).map { grid[$0, 0] > 0.5 ? 1 : 0 }
        }
        #expect(calls == 1)
        try Self.expectLeftAndRightHalves(document)
        // A straight boundary merges into one rectangle per class.
        let svg = try #require(SVGInspector.parse(document.svg))
        #expect(svg.elements("rect", inside: "regions").count == 2)
    }

    @Test func probabilityAndScoreTensorsGiveTheSameRegions() throws {
        let probability = Plot.decisionBoundary(points: Self.square, labels: Self.squareLabels, resolution: 50) { grid -> Tensor in
            sigmoid((grid.column(0) - 0.5) * 10)
        }
        try Self.expectLeftAndRightHalves(probability)
        let scores = Plot.decisionBoundary(points: Self.square, labels: Self.squareLabels, resolution: 50) { grid -> Tensor in
            Tensor.concatenate([0.5 - grid.column(0), grid.column(0) - 0.5], axis: 1)
        }
        try Self.expectLeftAndRightHalves(scores)
    }

    /// The class drawn at the centre of each grid cell, row by row from the top, read back from the
    /// region rectangles; nil where no rectangle or more than one covers a centre.
    static func drawnClasses(_ document: SVGDocument, resolution: Int) throws -> [Int?] {
        let svg = try #require(SVGInspector.parse(document.svg))
        let (left, top, width, height) = try #require(svg.plotArea)
        var rects: [(x: Double, y: Double, w: Double, h: Double, k: Int)] = []
        for k in 0..<10 {
            for r in svg.elements("rect", inside: "region-\(k)").map(\.element) {
                rects.append((svg.value(r, "x"), svg.value(r, "y"), svg.value(r, "width"), svg.value(r, "height"), k))
            }
        }
        return (0..<(resolution * resolution)).map { cell in
            let cx = left + (Double(cell % resolution) + 0.5) * width / Double(resolution)
            let cy = top + (Double(cell / resolution) + 0.5) * height / Double(resolution)
            let covering = rects.filter { cx > $0.x && cx < $0.x + $0.w && cy > $0.y && cy < $0.y + $0.h }
            return covering.count == 1 ? covering[0].k : nil
        }
    }

    @Test func regionsShowTheClassOfEveryGridCell() throws {
        var generator = SeededGenerator(seed: 9)
        let resolution = 13
        var returned: [Int] = []
        let document = Plot.decisionBoundary(points: Self.square, labels: Self.squareLabels, resolution: resolution) { grid -> [Int] in
            returned = (0..<grid.shape[0]).map { _ in generator.nextInt(below: 3) == 0 ? 1 : (generator.nextInt(below: 4) == 0 ? 2 : 0) }
            return returned
        }
        #expect(try Self.drawnClasses(document, resolution: resolution) == returned.map { Optional($0) })
    }

    @Test func classNumberTensorsAreReadAsClasses() throws {
        // Class floor(3u) clamped to 0…2, returned as a (M,) tensor of class numbers.
        var expected: [Int] = []
        let document = Plot.decisionBoundary(points: Self.square, labels: Self.squareLabels, resolution: 12) { grid -> Tensor in
            expected = (0..<grid.shape[0]).map { min(max(Int((grid[$0, 0] * 3).rounded(.down)), 0), 2) }
            return Tensor(expected.map { Float($0) })
        }
        #expect(Set(expected) == [0, 1, 2])
        #expect(try Self.drawnClasses(document, resolution: 12) == expected.map { Optional($0) })
    }

    @Test func raggedRegionsStayUnderAMegabyte() throws {
        var generator = SeededGenerator(seed: 5)
        let data = Tensor.normal([100, 2], using: &generator)
        let document = Plot.decisionBoundary(points: data, labels: (0..<100).map { $0 % 4 }) { grid -> [Int] in
            (0..<grid.shape[0]).map { _ in generator.nextInt(below: 4) }
        }
        let text = document.svg
        #expect(text.utf8.count < 1_000_000)
        let svg = try #require(SVGInspector.parse(text))
        #expect(svg.elements("rect", inside: "regions").count <= 12_000)
        #expect((0..<4).allSatisfy { svg.first(withClass: "region-\($0)") != nil })
    }
}
