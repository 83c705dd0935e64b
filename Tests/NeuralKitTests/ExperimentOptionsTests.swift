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
}
