import Foundation
import NeuralKit

/// Times the element-wise tensor operations a student-style training step is made of: a
/// broadcast bias add, `sum(axis: 0)`, a shuffled mini-batch gather, and an Adam step written
/// with plain tensor operations (out-of-place and with the in-place operators), and exp, log, tanh,
/// σ and √ against Foundation per element.
///
///     swift run -c release course-bench tensor [--rounds N]
enum TensorBenchmark {
    static func run(_ arguments: [String]) {
        let rounds = arguments.firstIndex(of: "--rounds").flatMap { Int(arguments[$0 + 1]) } ?? 5
        var generator = SeededGenerator(seed: 1)
        let z = Tensor.normal([128, 128], using: &generator)
        let bias = Tensor.normal([128], using: &generator)
        let data = Tensor.normal([10_000, 784], using: &generator)
        let indices = (0..<128).map { ($0 * 7919) % 10_000 }
        let w = Tensor.normal([784, 128], using: &generator)
        let g = Tensor.normal([784, 128], using: &generator)

        /// Median over `rounds` of the mean time of `repeats` calls, in microseconds.
        func time(_ repeats: Int, _ body: () -> Void) -> Double {
            body()
            var samples: [Double] = []
            for _ in 0..<rounds {
                let start = DispatchTime.now().uptimeNanoseconds
                for _ in 0..<repeats { body() }
                samples.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3 / Double(repeats))
            }
            return samples.sorted()[samples.count / 2]
        }
        var sink: Float = 0
        func report(_ name: String, _ microseconds: Double) {
            print(name.padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: "%10.1f µs", microseconds))
        }
        report("bias add (128, 128) + (128,)", time(2000) { sink += (z + bias).scalars[0] })
        report("element-wise (128, 128) * (128, 128)", time(2000) { sink += (z * z).scalars[0] })
        report("sum(axis: 0) of (128, 128)", time(2000) { sink += z.sum(axis: 0).scalars[0] })
        report("gatheringRows 128 of (10000, 784)", time(500) { sink += data.gatheringRows(indices).scalars[0] })
        let positive = g.absolute()
        report("absolute of (784, 128)", time(200) { sink += g.absolute().scalars[0] })
        report("squareRoot of (784, 128)", time(200) { sink += positive.squareRoot().scalars[0] })
        report("(784, 128) * (784, 128)", time(200) { sink += (g * g).scalars[0] })

        // Element-wise functions on a (128, 784) batch: per element through Foundation in a loop
        // the compiler inlines (what NeuralKit did before its C kernels), measured in the same run,
        // then NeuralKit's.
        let a = Tensor.uniform([128, 784], low: -8, high: 8, using: &generator)
        let positiveA = a.absolute()
        func compare(_ name: String, _ before: () -> Tensor, _ after: () -> Tensor) {
            let old = time(100) { sink += before().scalars[0] }
            let new = time(100) { sink += after().scalars[0] }
            report("\(name) (128, 784), Foundation per element", old)
            report("\(name) (128, 784), NeuralKit", new)
            print(String(format: "    speed-up %.1f×", old / new))
        }
        compare("exp", { perElement(a) { Foundation.exp($0) } }, { exp(a) })
        compare("log", { perElement(positiveA) { Foundation.log($0) } }, { log(positiveA) })
        compare("tanh", { perElement(a) { Foundation.tanh($0) } }, { tanh(a) })
        compare("sigmoid", {
            perElement(a) { v in
                if v >= 0 { return 1 / (1 + Foundation.exp(-v)) }
                let e = Foundation.exp(v)
                return e / (1 + e)
            }
        }, { sigmoid(a) })
        compare("sqrt", { perElement(positiveA) { $0.squareRoot() } }, { positiveA.squareRoot() })

        let (beta1, beta2, lr, eps): (Float, Float, Float, Float) = (0.9, 0.999, 1e-3, 1e-8)
        var (w1, m1, v1) = (w, Tensor.zeros(like: w), Tensor.zeros(like: w))
        report("Adam step (784, 128), out of place", time(200) {
            m1 = beta1 * m1 + (1 - beta1) * g
            v1 = beta2 * v1 + (1 - beta2) * (g * g)
            w1 = w1 - lr * m1 / (v1.squareRoot() + eps)
        })
        var q = g * 1
        report("q *= 0.5 (784, 128)", time(200) { q *= 0.5 })
        report("q += g (784, 128)", time(200) { q += g })
        report("q.addScaled(g, by: 0.1) (784, 128)", time(200) { q.addScaled(g, by: 0.1) })
        var (w2, m2, v2) = (w, Tensor.zeros(like: w), Tensor.zeros(like: w))
        report("Adam step (784, 128), compound operators", time(200) {
            m2 *= beta1; m2 += (1 - beta1) * g
            v2 *= beta2; v2 += (1 - beta2) * (g * g)
            w2 -= lr * m2 / (v2.squareRoot() + eps)
        })
        if sink == .infinity { print(sink) }
    }

    /// `f` of every element in a plain loop into uninitialised storage: NeuralKit's element-wise
    /// functions before the C kernels.
    @inline(__always)
    static func perElement(_ x: Tensor, _ f: (Float) -> Float) -> Tensor {
        let n = x.count
        let y = [Float](unsafeUninitializedCapacity: n) { buffer, count in
            x.scalars.withUnsafeBufferPointer { p in for i in 0..<n { buffer[i] = f(p[i]) } }
            count = n
        }
        return Tensor(shape: x.shape, scalars: y)
    }
}
