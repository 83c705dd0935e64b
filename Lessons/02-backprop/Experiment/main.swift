import Backpropagation
import Foundation
import NeuralKit

func time(_ label: String, _ body: () -> String) {
    let start = Date()
    let text = body()
    print(label, String(format: "%.2f s", Date().timeIntervalSince(start)), text)
}
let big = Dataset.circles(count: 2000, noise: 0.1, factor: 0.8, seed: 99)
for (eta, steps) in [(Float(0.02), 2000), (0.05, 1000), (0.05, 2000), (0.01, 3000)] {
for seed: UInt64 in 0..<6 {
    time("circles η \(eta) steps \(steps) seed \(seed)") {
        let run = fitCircles(learningRate: eta, steps: steps, seed: seed)
        let fresh = accuracy(of: run.network.classify(big.features.T), labels: big.labels)
        return "train \(run.trainAccuracy) test \(run.testAccuracy) fresh \(fresh)"
    }
}
}
