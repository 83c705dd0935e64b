import NeuralKit

enum MNISTBenchmark {
    static func run(_ arguments: [String]) {
        print("mnist benchmark: not written yet")
    }
}
