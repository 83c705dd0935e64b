import Foundation
import NeuralKit
import Testing

@Suite struct ExperimentOptionsTests {
    @Test func readsNamedValuesAndFallsBackToDefaults() {
        let options = ExperimentOptions(lesson: "03", arguments: ["--epochs", "10", "--eta", "0.01", "--output", "/tmp/x"])
        #expect(options.values == ["epochs": "10", "eta": "0.01", "output": "/tmp/x"])
        #expect(options.value("epochs", 3) == 10)
        #expect(options.value("eta", Float(0.001)) == 0.01)
        #expect(options.value("seed", UInt64(7)) == 7)
        #expect(options.value("output", "runs") == "/tmp/x")
    }

    @Test func figuresGoToTheOutputFolderWhichIsMadeIfMissing() throws {
        #expect(ExperimentOptions(lesson: "04", arguments: []).output.path.hasSuffix("runs/04"))
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("figures-\(UUID().uuidString)/nested")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let options = ExperimentOptions(lesson: "04", arguments: ["--output", folder.path])
        #expect(options.output.path == folder.path)
        options.save(SVGDocument(width: 10, height: 10), "empty.svg")
        let text = try String(contentsOf: folder.appendingPathComponent("empty.svg"), encoding: .utf8)
        #expect(text.contains("<svg"))
    }
}
