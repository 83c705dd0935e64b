import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import NeuralKit

/// SVG text, ticks, scatter plots, line charts and image grids: well-formed and holding what was asked.
@Suite struct PlotTests {
    // MARK: SVG text

    @Test func titlesWithMarkupCharactersAreEscapedAndReadBack() throws {
        let title = "loss < 0.1 & accuracy > 90% \"quoted\" 'single'\u{01}"
        let document = Plot.scatter(points: Tensor.points([(0, 0), (1, 1)]), labels: [0, 1], title: title, xLabel: "a<b")
        #expect(document.svg.contains("loss &lt; 0.1 &amp; accuracy &gt; 90%"))
        let svg = try #require(SVGInspector.parse(document.svg))
        // The control character U+0001 is not allowed in XML and is dropped.
        let expected = "loss < 0.1 & accuracy > 90% \"quoted\" 'single'"
        #expect(svg.first(withClass: "title")?.text == expected)
        #expect(svg.elements("title").first?.element.text == expected)
        #expect(svg.first(withClass: "x-label")?.text == "a<b")
    }

    @Test func coordinatesAreWrittenWithAtMostTwoDecimals() {
        #expect(SVGDocument.number(3.14159) == "3.14")
        #expect(SVGDocument.number(2) == "2")
        #expect(SVGDocument.number(0.5) == "0.5")
        #expect(SVGDocument.number(1.05) == "1.05")
        #expect(SVGDocument.number(-12.3) == "-12.3")
        #expect(SVGDocument.number(-0.004) == "0")
        #expect(SVGDocument.number(.nan) == "0")
    }

    @Test func writeSavesTheTextAndReportsAMissingFolder() throws {
        let document = Plot.lineChart([LineSeries("x", y: [1.0, 2.0])])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("plot-test-\(UUID().uuidString).svg")
        defer { try? FileManager.default.removeItem(at: url) }
        try document.write(to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == document.svg)
        let missing = URL(fileURLWithPath: "/nonexistent-folder-\(UUID().uuidString)/plot.svg")
        #expect(throws: PlotError.self) { try document.write(to: missing) }
        do { try document.write(to: missing) } catch { #expect("\(error)".contains(missing.path)) }
    }

    @Test func lightColoursMixTheClassColourWithWhite() {
        // #0072B2 at 30%: each channel c·0.3 + 255·0.7, i.e. 178.5, 212.7, 231.9 (±1 for rounding).
        let light = Palette.lightColor(0)
        let channels = [1, 3, 5].map { Int(String(Array(light)[$0...($0 + 1)]), radix: 16)! }
        for (channel, expected) in zip(channels, [178.5, 212.7, 231.9]) { #expect(abs(Double(channel) - expected) <= 1) }
        #expect(Palette.grey(0) == "#000000" && Palette.grey(1) == "#FFFFFF")
        #expect(Palette.color(10) == Palette.color(0))
    }

    // MARK: Ticks

    @Test func ticksUseOneTwoFiveSteps() {
        #expect(Axes.niceTicks(lower: 0, upper: 1, maximumCount: 6) == [0, 0.2, 0.4, 0.6, 0.8, 1.0])
        #expect(Axes.niceTicks(lower: -1.3, upper: 2.7, maximumCount: 5) == [-1, 0, 1, 2])
        #expect(Axes.niceTicks(lower: 0, upper: 97, maximumCount: 6) == [0, 20, 40, 60, 80])
        var generator = SeededGenerator(seed: 11)
        for _ in 0..<200 {
            let lower = generator.uniform(-1000, 1000) * pow(10, generator.uniform(-6, 0))
            let upper = lower + pow(10, generator.uniform(-5, 4))
            let maximum = 2 + generator.nextInt(below: 9)
            let ticks = Axes.niceTicks(lower: lower, upper: upper, maximumCount: maximum)
            #expect(!ticks.isEmpty && ticks.count <= maximum)
            #expect(ticks.allSatisfy { $0 >= lower - 1e-9 * abs(lower) && $0 <= upper + 1e-9 * abs(upper) })
            guard ticks.count > 1 else { continue }
            let step = ticks[1] - ticks[0]
            let mantissa = step / pow(10, floor(log10(step)))
            #expect([1.0, 2.0, 5.0, 10.0].contains { abs(mantissa - $0) < 1e-6 }, "step \(step)")
        }
    }

    @Test func tickLabelsHaveTheDecimalsTheStepNeeds() {
        #expect(Axes.labels(for: [0, 0.5, 1.0]) == ["0.0", "0.5", "1.0"])
        #expect(Axes.labels(for: [0, 20, 40]) == ["0", "20", "40"])
        #expect(Axes.labels(for: [-0.1, -0.1 + 0.1, 0.1]) == ["-0.1", "0.0", "0.1"])
        #expect(Axes.labels(for: [0, 5e-5, 1e-4]) == ["0", "5.0e-05", "1.0e-04"])
    }

    // MARK: Scatter

    @Test func scatterDrawsOneCircleInItsClassColourPerPoint() throws {
        var generator = SeededGenerator(seed: 3)
        let n = 37
        let data = Tensor.uniform([n, 2], low: 0, high: 10, using: &generator)
        let labels = (0..<n).map { $0 % 3 }
        let document = Plot.scatter(points: data, labels: labels, title: "Three classes", xLabel: "x₁", yLabel: "x₂",
                                    classNames: ["red", "green", "blue"])
        let svg = try #require(SVGInspector.parse(document.svg))
        #expect(svg.elements("circle", inside: "points").count == n)
        for k in 0..<3 {
            let group = try #require(svg.first(withClass: "class-\(k)"))
            #expect(group.attributes["fill"] == Palette.color(k))
            #expect(svg.elements("circle", inside: "class-\(k)").count == labels.filter { $0 == k }.count)
        }
        #expect(svg.first(withClass: "title")?.text == "Three classes")
        #expect(svg.first(withClass: "y-label")?.text == "x₂")
        let legendTexts = svg.elements("text", inside: "legend").map(\.element.text)
        #expect(legendTexts == ["red", "green", "blue"])
    }

    @Test func scatterPlacesPointsAndTickLabelsWhereTheDataIs() throws {
        let data = Tensor.points([(0, 0), (10, 10), (10, 0)])
        let svg = try #require(SVGInspector.parse(Plot.scatter(points: data, labels: [0, 1, 2]).svg))
        let tickLabels = svg.elements("text", inside: "tick-labels").map(\.element)
        // Range [0, 10] padded by 5%: ticks in steps of 2 fit the default 640-pixel width.
        for label in ["0", "2", "4", "6", "8", "10"] {
            #expect(tickLabels.filter { $0.text == label }.count == 2, "tick \(label) on both axes")
        }
        let circles = svg.elements("circle", inside: "points").map(\.element)
        let (origin, corner, right) = (circles[0], circles[1], circles[2])
        #expect(svg.value(corner, "cx") > svg.value(origin, "cx"))
        #expect(svg.value(corner, "cy") < svg.value(origin, "cy"), "up in the data is up on screen")
        #expect(abs(svg.value(right, "cx") - svg.value(corner, "cx")) < 0.01)
        // The x tick "10" sits at the same x as the points with u = 10.
        let ten = try #require(tickLabels.first { $0.text == "10" && $0.attributes["text-anchor"] == "middle" })
        #expect(abs(svg.value(ten, "x") - svg.value(corner, "cx")) < 0.01)
    }


    // MARK: Line chart

    @Test func lineChartDrawsEachSeriesBrokenAtNaN() throws {
        let train: [Float] = [2.3, 1.2, 0.8, 0.5, 0.4, 0.35]
        let validation: [Float] = [2.4, 1.4, .nan, 0.7, 0.6, 0.6]
        let document = Plot.lineChart([LineSeries("train", y: train), LineSeries("validation", y: validation, style: .dashed),
                                       LineSeries("samples", y: [1.0, 2.0, 3.0], style: .points)],
                                      title: "Loss", xLabel: "epoch", yLabel: "loss")
        let svg = try #require(SVGInspector.parse(document.svg))
        let first = svg.elements("polyline", inside: "series-0")
        #expect(first.count == 1)
        #expect(first[0].element.attributes["points"]?.split(separator: " ").count == train.count)
        // The NaN leaves two finite stretches: [2.4, 1.4] and [0.7, 0.6, 0.6].
        let second = svg.elements("polyline", inside: "series-1").map { $0.element.attributes["points"]!.split(separator: " ").count }
        #expect(second == [2, 3])
        #expect(svg.first(withClass: "series-1")?.attributes["stroke-dasharray"] != nil)
        #expect(svg.elements("circle", inside: "series-2").count == 3)
        #expect(svg.first(withClass: "series-0")?.attributes["stroke"] == Palette.color(0))
        #expect(svg.first(withClass: "series-1")?.attributes["stroke"] == Palette.color(1))
        #expect(svg.elements("text", inside: "legend").map(\.element.text) == ["train", "validation", "samples"])
        #expect(svg.first(withClass: "x-label")?.text == "epoch")
        let tickLabels = Set(svg.elements("text", inside: "tick-labels").map(\.element.text))
        #expect(tickLabels.isSuperset(of: ["0", "1", "2", "3", "4", "5"]))
    }

    @Test func longLegendNamesMoveTheLegendUnderThePlot() throws {
        let name = "test accuracy of a model with a rather long name"
        let document = Plot.lineChart([LineSeries(name, y: [0.5, 0.9])], yRange: 0...1, width: 480, height: 300)
        let svg = try #require(SVGInspector.parse(document.svg))
        let (_, top, _, height) = try #require(svg.plotArea)
        let label = try #require(svg.elements("text", inside: "legend").first?.element)
        #expect(label.text == name)
        #expect(svg.value(label, "y") > top + height)
        #expect(Set(svg.elements("text", inside: "tick-labels").map(\.element.text)).isSuperset(of: ["0.0", "1.0"]))
    }

    // MARK: Image grid

    @Test func imageGridHoldsEveryImageWithItsCaption() throws {
        let n = 7
        for images in [Tensor.zeros(n, 16), Tensor.zeros(n, 4, 4), Tensor.zeros(n, 1, 4, 4)] {
            let captions = (0..<n).map { "pred \($0)" }
            let document = Plot.imageGrid(images, columns: 3, captions: captions, title: "Digits")
            let svg = try #require(SVGInspector.parse(document.svg))
            let cells = svg.elements("g", inside: "images").filter { $0.element.attributes["class"] == "image" }
            #expect(cells.count == n)
            #expect(svg.elements("text", inside: "images").map(\.element.text) == captions)
            // 3 columns, ⌈7 / 3⌉ = 3 rows.
            let offsets = cells.map { $0.element.attributes["transform"]!.split(separator: ")")[0] }
            let xs = Set(offsets.map { $0.split(separator: " ")[0] }), ys = Set(offsets.map { $0.split(separator: " ")[1] })
            #expect(xs.count == 3 && ys.count == 3)
            #expect(svg.first(withClass: "title")?.text == "Digits")
        }
    }

    @Test func imagePixelsBecomeGreyLevels() throws {
        var image = Tensor.zeros(1, 5, 8)
        image[0, 2, 5] = 1       // one white pixel at row 2, column 5
        image[0, 4, 0] = 0.5     // one mid-grey pixel
        let svg = try #require(SVGInspector.parse(Plot.imageGrid(image, normalization: .fixed(lower: 0, upper: 1)).svg))
        let background = try #require(svg.elements("rect", inside: "image").first?.element)
        #expect(background.attributes["fill"] == "#000000")
        #expect(background.attributes["width"] == "8" && background.attributes["height"] == "5")
        let paths = Dictionary(uniqueKeysWithValues: svg.elements("path", inside: "image").map {
            ($0.element.attributes["fill"]!, $0.element.attributes["d"]!)
        })
        #expect(paths["#FFFFFF"] == "M5 2h1v1h-1z")
        // 0.5 → level round(0.5 · 63) = 32 → brightness 32 / 63 · 255 = 129.5 → 130 = 0x82.
        #expect(paths["#828282"] == "M0 4h1v1h-1z")
        #expect(paths.count == 2)
    }

    @Test func perImageNormalisationStretchesEachImage() throws {
        // Image 0 spans [10, 20], image 1 spans [0, 1]: per image, both reach black and white.
        var images = Tensor.zeros(2, 4)
        images[0, 0] = 10; images[0, 1] = 20; images[0, 2] = 20; images[0, 3] = 20
        images[1, 0] = 1
        let perImage = try #require(SVGInspector.parse(Plot.imageGrid(images, normalization: .perImage).svg))
        let fills = perImage.elements("path", inside: "image").map { $0.element.attributes["fill"] }
        #expect(fills == ["#000000", "#FFFFFF"])
        let global = try #require(SVGInspector.parse(Plot.imageGrid(images, normalization: .global).svg))
        // Globally (range [0, 20]) image 1 is all black but for a pixel at 1/20 → level 3 → #0C0C0C.
        #expect(global.elements("path", inside: "image").map { $0.element.attributes["fill"] }.contains("#0C0C0C"))
    }
}
