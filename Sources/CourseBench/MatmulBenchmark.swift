// `course-bench matmul`: GFLOP/s of `Tensor` matmul per shape, next to NumPy's `np.dot` on the
// same float32 shapes and transposes, measured in the same run.
//
// Shape letters: `C (M, N) = op(A) (M, K) · op(B) (K, N)`; one product is `2·M·N·K` flops.
// The dense-layer shapes are those of one layer with batch N = 128, D = 784 inputs, H = 128 units:
// forward `X (128, 784) · W (784, 128)`, weight gradient `Xᵀ · δ`, input gradient `δ · Wᵀ`.
import Dispatch
import Foundation
import NeuralKit

enum MatmulBenchmark {
    /// One product to time: `op(A) (m, k) · op(B) (k, n)`.
    struct Shape {
        let role: String
        let m: Int, k: Int, n: Int
        let transposeA: Bool, transposeB: Bool

        var flops: Double { 2 * Double(m) * Double(n) * Double(k) }
        /// The stored operands as numpy would print them, e.g. `(128, 784)ᵀ · (128, 128)`.
        var product: String {
            let a = transposeA ? "(\(k), \(m))ᵀ" : "(\(m), \(k))"
            let b = transposeB ? "(\(n), \(k))ᵀ" : "(\(k), \(n))"
            return "\(a) · \(b)"
        }
        /// `m,k,n,transposeA,transposeB` for the NumPy script.
        var specification: String { "\(m),\(k),\(n),\(transposeA ? 1 : 0),\(transposeB ? 1 : 0)" }
    }

    static let squareShapes = [
        Shape(role: "square", m: 1024, k: 1024, n: 1024, transposeA: false, transposeB: false),
        Shape(role: "square, Aᵀ", m: 1024, k: 1024, n: 1024, transposeA: true, transposeB: false),
        Shape(role: "square, Bᵀ", m: 1024, k: 1024, n: 1024, transposeA: false, transposeB: true),
        Shape(role: "square", m: 512, k: 512, n: 512, transposeA: false, transposeB: false),
        Shape(role: "square", m: 256, k: 256, n: 256, transposeA: false, transposeB: false),
    ]
    static let denseLayerShapes = [
        Shape(role: "dense forward X·W", m: 128, k: 784, n: 128, transposeA: false, transposeB: false),
        Shape(role: "dense dW = Xᵀ·δ", m: 784, k: 128, n: 128, transposeA: true, transposeB: false),
        Shape(role: "dense dX = δ·Wᵀ", m: 128, k: 128, n: 784, transposeA: false, transposeB: true),
    ]

    static let usage = """
        usage: course-bench matmul [--repeat N] [--shapes all|square|dense] [--no-numpy]

          --repeat N     timed repetitions per shape after 3 warm-up runs; the median is reported (default 20)
          --shapes S     square: 1024³ (plain, Aᵀ, Bᵀ), 512³, 256³; dense: the 3 products of a dense layer
                         (batch 128, 784 → 128); all: both (default)
          --no-numpy     do not run python3/NumPy for comparison
        """

    static func run(_ arguments: [String]) {
        var repetitions = 20
        var shapes = squareShapes + denseLayerShapes
        var useNumPy = true
        var remaining = arguments[...]
        while let option = remaining.popFirst() {
            switch option {
            case "--repeat":
                guard let value = remaining.popFirst().flatMap(Int.init), value > 0 else {
                    fail("--repeat needs a positive whole number")
                }
                repetitions = value
            case "--shapes":
                switch remaining.popFirst() {
                case "all": shapes = squareShapes + denseLayerShapes
                case "square": shapes = squareShapes
                case "dense": shapes = denseLayerShapes
                default: fail("--shapes takes all, square or dense")
                }
            case "--no-numpy": useNumPy = false
            case "--help", "-h":
                print(usage)
                return
            default: fail("unknown option '\(option)'")
            }
        }

        #if DEBUG
        print("warning: this is a debug build; measure with `swift run -c release course-bench matmul`")
        #endif
        print("matmul: C = op(A) · op(B), Float32, median of \(repetitions) runs after 3 warm-up runs, "
              + "\(ProcessInfo.processInfo.activeProcessorCount) cores")
        print("(the kernel uses the CPU's FMA/AVX2/AVX-512 only when built for it: "
              + "swift run -c release -Xswiftc -target-cpu -Xswiftc native course-bench matmul)")

        let ours = shapes.map { measure($0, repetitions: repetitions) }
        print("kernel: \(Gemm.kernelDescription), the faster of two widths on this build")
        var numPy: [Double]? = nil
        if useNumPy {
            switch NumPyReference.measure(shapes.map(\.specification), repetitions: repetitions) {
            case .success(let result):
                print("NumPy \(result.version) (np.dot, float32), same shapes and transposes")
                numPy = result.gigaflops
            case .failure(let problem):
                print("NumPy figures unavailable: \(problem.reason); printing ours only")
            }
        }
        print()
        printTable(shapes: shapes, ours: ours, numPy: numPy)
    }

    /// Median seconds and GFLOP/s of `matmul` through the public `Tensor` API.
    static func measure(_ shape: Shape, repetitions: Int) -> (seconds: Double, gigaflops: Double) {
        var generator = SeededGenerator(seed: 42)
        let a = Tensor.uniform(shape.transposeA ? [shape.k, shape.m] : [shape.m, shape.k],
                               low: -1, high: 1, using: &generator)
        let b = Tensor.uniform(shape.transposeB ? [shape.n, shape.k] : [shape.k, shape.n],
                               low: -1, high: 1, using: &generator)
        var checksum: Float = 0
        var times: [Double] = []
        for run in 0..<(3 + repetitions) {
            let start = DispatchTime.now().uptimeNanoseconds
            let c = matmul(a, b, transposeA: shape.transposeA, transposeB: shape.transposeB)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
            checksum += c.scalars[0]
            if run >= 3 { times.append(elapsed) }
        }
        if !checksum.isFinite { print("warning: non-finite result for \(shape.product)") }
        let seconds = median(times)
        return (seconds, shape.flops / seconds * 1e-9)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    static func printTable(shapes: [Shape], ours: [(seconds: Double, gigaflops: Double)], numPy: [Double]?) {
        func column(_ text: String, _ width: Int, right: Bool = false) -> String {
            let padding = String(repeating: " ", count: max(0, width - text.count))
            return right ? padding + text : text + padding
        }
        func number(_ value: Double, _ digits: Int) -> String { String(format: "%.\(digits)f", value) }
        var header = column("role", 20) + column("product", 28) + column("ms", 9, right: true)
            + column("GFLOP/s", 10, right: true)
        if numPy != nil { header += column("NumPy", 10, right: true) + column("ours/NumPy", 12, right: true) }
        print(header)
        print(String(repeating: "-", count: header.count))
        for (index, shape) in shapes.enumerated() {
            var line = column(shape.role, 20) + column(shape.product, 28)
                + column(number(ours[index].seconds * 1e3, 3), 9, right: true)
                + column(number(ours[index].gigaflops, 1), 10, right: true)
            if let numPy {
                line += column(number(numPy[index], 1), 10, right: true)
                    + column(number(ours[index].gigaflops / numPy[index], 2), 12, right: true)
            }
            print(line)
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("course-bench matmul: \(message)\n\n\(usage)\n".utf8))
        exit(1)
    }
}
