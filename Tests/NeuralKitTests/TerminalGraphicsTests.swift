import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import NeuralKit

/// Sparklines and digits drawn with block characters.
@Suite struct TerminalGraphicsTests {
    // MARK: Terminal

    @Test func sparklineHasOneCharacterPerValueOrTheWidth() {
        let values = (0..<50).map { Double($0) }
        #expect(TerminalGraphics.sparkline(values).count == 50)
        #expect(TerminalGraphics.sparkline(values, width: 20).count == 20)
        #expect(TerminalGraphics.sparkline([1.0, 2.0], width: 9).count == 9)
        #expect(TerminalGraphics.sparkline([Double]()) == "")
    }

    @Test func sparklineMapsLargerValuesToHigherBlocks() {
        var generator = SeededGenerator(seed: 2)
        let values = (0..<40).map { _ in generator.uniform(-3, 7) }
        let line = Array(TerminalGraphics.sparkline(values))
        let levels = line.map { TerminalGraphics.sparkLevels.firstIndex(of: $0)! }
        for i in values.indices { for j in values.indices where values[i] < values[j] { #expect(levels[i] <= levels[j]) } }
        #expect(line[values.firstIndex(of: values.min()!)!] == "▁")
        #expect(line[values.firstIndex(of: values.max()!)!] == "█")
        #expect(TerminalGraphics.sparkline([1, 2, 3, 4, 5, 6, 7, 8] as [Float]) == "▁▂▃▄▅▆▇█")
        #expect(TerminalGraphics.sparkline([4.0, 4.0, 4.0]) == "▄▄▄")
    }

    @Test func sparklineMarksNaN() {
        #expect(TerminalGraphics.sparkline([1.0, .nan, 3.0]) == "▁×█")
        // Buckets [1, 2] and [NaN, ∞]: the one finite bucket mean is drawn at the middle level.
        #expect(TerminalGraphics.sparkline([1.0, 2.0, .nan, .infinity], width: 2) == "▄×")
        #expect(TerminalGraphics.sparkline([Float.nan, .nan]) == "××")
    }

    @Test func digitsRenderAtHalfHeight() {
        let blank = TerminalGraphics.image(Tensor.zeros(784))
        let lines = blank.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 14 && lines.allSatisfy { $0.count == 28 })
        #expect(blank.allSatisfy { $0 == " " || $0 == "\n" })
        #expect(TerminalGraphics.image(Tensor.zeros(1, 784), style: .shades) == blank)
        let full = TerminalGraphics.image(Tensor.ones(1, 1, 28, 28))
        #expect(full.allSatisfy { $0 == "█" || $0 == "\n" })
        var one = Tensor.zeros(28, 28)
        one[4, 7] = 255          // raw byte values are scaled by their maximum
        one[9, 3] = 200
        let drawn = TerminalGraphics.image(one).split(separator: "\n").map(Array.init)
        #expect(drawn[2][7] == "▀" && drawn[4][3] == "▄")
        #expect(drawn.joined().filter { $0 != " " }.count == 2)
        let odd = TerminalGraphics.image(Tensor.ones(5, 3), style: .shades).split(separator: "\n")
        #expect(odd == ["███", "███", "▒▒▒"])
    }
}
