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

    /// Small products, where the cost per call counts more than the kernel's speed: the output
    /// layer of the same network (128 → 10) and a tiny product.
    static let smallShapes = [
        Shape(role: "output forward", m: 128, k: 128, n: 10, transposeA: false, transposeB: false),
        Shape(role: "output dW", m: 128, k: 128, n: 10, transposeA: true, transposeB: false),
        Shape(role: "output dX", m: 128, k: 10, n: 128, transposeA: false, transposeB: true),
        Shape(role: "tiny", m: 16, k: 16, n: 16, transposeA: false, transposeB: false),
    ]

    /// The products of lesson 04's CNN on a batch of 128 (conv 3×3 ×32 on 28 × 28 → 26 × 26, conv 3×3 ×64 on
    /// 32 × 13 × 13 → 11 × 11), as im2col lays them out: M = N·H′·W′ rows, K = C·KH·KW.
    static let convolutionShapes = [
        Shape(role: "conv1 forward", m: 86528, k: 9, n: 32, transposeA: false, transposeB: true),
        Shape(role: "conv1 dW", m: 32, k: 86528, n: 9, transposeA: true, transposeB: false),
        Shape(role: "conv2 forward", m: 15488, k: 288, n: 64, transposeA: false, transposeB: true),
        Shape(role: "conv2 dW", m: 64, k: 15488, n: 288, transposeA: true, transposeB: false),
        Shape(role: "conv2 dX", m: 15488, k: 64, n: 288, transposeA: false, transposeB: false),
    ]

    /// Seconds of untimed runs before each measurement, for ours and NumPy's alike.
    static let warmUpSeconds = 0.25

    static let usage = """
        usage: course-bench matmul [--repeat N] [--shapes all|square|dense|small|conv] [--no-numpy]

          --repeat N     timed repetitions per shape after 0.25 s of warm-up runs; the median is reported
                         (default 20)
          --shapes S     square: 1024³ (plain, Aᵀ, Bᵀ), 512³, 256³; dense: the 3 products of a dense layer
                         (batch 128, 784 → 128); small: the output layer (128 → 10) and 16³, where
                         the cost per call shows; conv: lesson 04's convolutions (batch 128);
                         all: all but conv (default)
          --no-numpy     do not run python3/NumPy for comparison
        """

    static func run(_ arguments: [String]) {
        var repetitions = 20
        var shapes = squareShapes + denseLayerShapes + smallShapes
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
                case "all": shapes = squareShapes + denseLayerShapes + smallShapes
                case "square": shapes = squareShapes
                case "dense": shapes = denseLayerShapes
                case "small": shapes = smallShapes
                case "conv": shapes = convolutionShapes
                default: fail("--shapes takes all, square, dense, small or conv")
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
        print("matmul: C = op(A) · op(B), Float32, median of \(repetitions) runs after \(warmUpSeconds) s of warm-up, "
              + "\(ProcessInfo.processInfo.activeProcessorCount) cores")
        print("(the C kernels use the CPU's FMA/AVX2/AVX-512 whatever the build flags)")
        print("kernel: \(Gemm.kernelDescription), chosen at run time from the CPU's features")
        // NumPy runs right after ours on each shape, so both see the same machine load.
        var numPyAvailable = false
        if useNumPy {
            switch NumPyReference.measure([], repetitions: 1, warmUpSeconds: 0) {
            case .success(let result):
                print("NumPy \(result.version): np.dot on float32 arrays of the same shapes and transposes, "
                      + "same repetitions")
                numPyAvailable = true
            case .failure(let problem):
                print("NumPy figures unavailable: \(problem.reason); printing ours only")
            }
        }
        print()
        let table = Table(numPy: numPyAvailable)
        table.printHeader()
        for shape in shapes {
            let ours = measure(shape, repetitions: repetitions)
            var theirs: Double? = nil
            if numPyAvailable {
                let result = NumPyReference.measure([shape.specification], repetitions: repetitions,
                                                    warmUpSeconds: warmUpSeconds)
                switch result {
                case .success(let result): theirs = result.gigaflops.first
                case .failure(let problem): print("NumPy failed on \(shape.product): \(problem.reason)")
                }
            }
            table.printRow(shape, seconds: ours.seconds, gigaflops: ours.gigaflops, numPy: theirs)
        }
        print("\nOther programs running at the same time can move these figures by a fifth or more; "
              + "compare several runs.")
    }

    /// Median seconds and GFLOP/s of `matmul` through the public `Tensor` API.
    static func measure(_ shape: Shape, repetitions: Int) -> (seconds: Double, gigaflops: Double) {
        var generator = SeededGenerator(seed: 42)
        let a = Tensor.uniform(shape.transposeA ? [shape.k, shape.m] : [shape.m, shape.k],
                               low: -1, high: 1, using: &generator)
        let b = Tensor.uniform(shape.transposeB ? [shape.n, shape.k] : [shape.k, shape.n],
                               low: -1, high: 1, using: &generator)
        var checksum: Float = 0
        func run() -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            let c = matmul(a, b, transposeA: shape.transposeA, transposeB: shape.transposeB)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) * 1e-9
            checksum += c.scalars[0]
            return elapsed
        }
        // Warm up for a while, not just a few runs: on a virtual machine an idle CPU takes
        // around 0.1 s to come back to full speed.
        var warmUp = 0.0, warmUpRuns = 0
        while warmUp < warmUpSeconds || warmUpRuns < 3 {
            warmUp += run()
            warmUpRuns += 1
        }
        let times = (0..<repetitions).map { _ in run() }
        if !checksum.isFinite { print("warning: non-finite result for \(shape.product)") }
        let seconds = median(times)
        return (seconds, shape.flops / seconds * 1e-9)
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The result table, printed one row per shape as the measurements come in.
    struct Table {
        let numPy: Bool

        func column(_ text: String, _ width: Int, right: Bool = true) -> String {
            let padding = String(repeating: " ", count: max(0, width - text.count))
            return right ? padding + text : text + padding
        }

        func printHeader() {
            var header = column("role", 20, right: false) + column("product", 30, right: false)
                + column("ms", 9) + column("GFLOP/s", 10)
            if numPy { header += column("NumPy", 10) + column("ours/NumPy", 12) }
            print(header)
            print(String(repeating: "-", count: header.count))
        }

        func printRow(_ shape: Shape, seconds: Double, gigaflops: Double, numPy figure: Double?) {
            var line = column(shape.role, 20, right: false) + column(shape.product, 30, right: false)
                + column(String(format: "%.3f", seconds * 1e3), 9) + column(String(format: "%.1f", gigaflops), 10)
            if numPy {
                line += column(figure.map { String(format: "%.1f", $0) } ?? "-", 10)
                    + column(figure.map { String(format: "%.2f", gigaflops / $0) } ?? "-", 12)
            }
            print(line)
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("course-bench matmul: \(message)\n\n\(usage)\n".utf8))
        exit(1)
    }
}
