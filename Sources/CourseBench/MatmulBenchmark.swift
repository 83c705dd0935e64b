import NeuralKit

enum MatmulBenchmark {
    static func run(_ arguments: [String]) {
        print("matmul benchmark: not written yet")
    }
}
