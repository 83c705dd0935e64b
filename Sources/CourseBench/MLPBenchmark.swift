// `course-bench mlp [--rounds R] [--ours-only] [--only student|fused-adam|fused] [--epochs E]`: one MNIST epoch of a 784-128-128-128-10 ReLU MLP with softmax
// cross-entropy and Adam (η = 1e-3), batch 128, written with NeuralKit's public Tensor API the way a
// student writes it (student-style: plain tensor operations, Adam included). NumPy (and PyTorch
// when python3 can import it) train the same model on the same MNIST files in the same run,
// round after round; medians of R rounds (3) are printed with images/s, test accuracy, peak memory
// and the ratios ours / peer.
import Foundation
import NeuralKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum MLPBenchmark {
    struct Outcome {
        var seconds: Double
        var accuracy: Double
        var peakMegabytes: Double
    }

    static let sizes = [784, 128, 128, 128, 10]
    static let batch = 128

    static func run(_ arguments: [String]) {
        var rounds = 3
        if let i = arguments.firstIndex(of: "--rounds"), i + 1 < arguments.count, let r = Int(arguments[i + 1]), r > 0 { rounds = r }
        // `--ours-only`: no Python peers, e.g. to profile NeuralKit's epoch alone.
        let peerNames = arguments.contains("--ours-only") ? [] : ["numpy", "torch"]
        // `--only student|fused-adam|fused`: one of NeuralKit's variants (and the peers).
        var variants: Set = ["student", "fused-adam", "fused"]
        if let i = arguments.firstIndex(of: "--only"), i + 1 < arguments.count { variants = [arguments[i + 1]] }
        // `--epochs E`: train E epochs (test accuracy after E; seconds are per epoch).
        var epochs = 1
        if let i = arguments.firstIndex(of: "--epochs"), i + 1 < arguments.count, let e = Int(arguments[i + 1]), e > 0 { epochs = e }
        let train: MNISTSet, test: MNISTSet
        do { (train, test) = (try MNIST.load(.train), try MNIST.load(.test)) } catch {
            print("mlp: cannot load MNIST: \(error)"); exit(1)
        }
        print("\(epochs == 1 ? "One MNIST epoch" : "\(epochs) MNIST epochs") (60,000 images), 784-128-128-128-10 ReLU, softmax cross-entropy, Adam 1e-3, batch \(batch); \(rounds) rounds, medians"
              + (epochs == 1 ? "" : "; seconds per epoch, test accuracy after \(epochs)"))
        var ours: [Outcome] = [], fusedAdam: [Outcome] = [], fused: [Outcome] = [], peers: [String: [Outcome]] = [:]
        var skipped: [String: String] = [:]
        for round in 0..<rounds {
            if variants.contains("student") { ours.append(studentEpoch(train, test, seed: UInt64(round), epochs: epochs)) }
            if variants.contains("fused-adam") { fusedAdam.append(studentEpoch(train, test, seed: UInt64(round), epochs: epochs, fusedAdam: true)) }
            if variants.contains("fused") { fused.append(fusedEpoch(train, test, seed: UInt64(round), epochs: epochs)) }
            for peer in peerNames where skipped[peer] == nil {
                switch PythonPeer.epoch(peer, directory: MNIST.bundledDirectory, seed: round, epochs: epochs) {
                case .success(let outcome): peers[peer, default: []].append(outcome)
                case .failure(let why): skipped[peer] = why.reason
                }
            }
        }
        func median(_ values: [Double]) -> Double { let s = values.sorted(); return s[s.count / 2] }
        func line(_ name: String, _ outcomes: [Outcome]) -> String {
            let seconds = median(outcomes.map(\.seconds))
            return "  \(name.padding(toLength: 24, withPad: " ", startingAt: 0)) \(String(format: "%6.3f s  %8.0f images/s  test %5.2f %%  peak %5.0f MB", seconds, 60_000 / seconds, median(outcomes.map(\.accuracy)) * 100, outcomes.map(\.peakMegabytes).max() ?? 0))"
        }
        if !ours.isEmpty { print(line("NeuralKit student-style", ours)) }
        if !fusedAdam.isEmpty { print(line("NeuralKit fused Adam", fusedAdam)) }
        if !fused.isEmpty { print(line("NeuralKit fused", fused)) }
        for peer in peerNames {
            if let outcomes = peers[peer], !outcomes.isEmpty {
                let theirs = median(outcomes.map(\.seconds))
                let ratios = [("student-style", ours), ("fused Adam", fusedAdam), ("fused", fused)]
                    .filter { !$0.1.isEmpty }
                    .map { String(format: "%@ / %@ = %.2f", $0.0, peer, median($0.1.map(\.seconds)) / theirs) }
                print(line(peer == "numpy" ? "NumPy from scratch" : "PyTorch CPU", outcomes) + "   " + ratios.joined(separator: ", "))
            } else {
                print("  \(peer): not measured (\(skipped[peer] ?? "no result"))")
            }
        }
        print("  (peak memory is the whole process's maximum resident size, MNIST included)")
    }

    /// The student-style epoch: forward, backward and Adam with plain tensor operations; with
    /// `fusedAdam`, the update is NeuralKit's `Adam` (one in-place pass per parameter) instead.
    static func studentEpoch(_ train: MNISTSet, _ test: MNISTSet, seed: UInt64, epochs: Int = 1, fusedAdam: Bool = false) -> Outcome {
        var g = SeededGenerator(seed: seed)
        var W = (0..<4).map { Tensor.he([sizes[$0], sizes[$0 + 1]], fanIn: sizes[$0], using: &g) }
        var b = (0..<4).map { Tensor.zeros(sizes[$0 + 1]) }
        var mW = W.map { Tensor.zeros(like: $0) }, vW = mW
        var mb = b.map { Tensor.zeros(like: $0) }, vb = mb
        let (beta1, beta2, eta, epsilon): (Float, Float, Float, Float) = (0.9, 0.999, 1e-3, 1e-8)
        let orders = (0..<epochs).map { _ in g.permutation(train.labels.count) }
        let start = Date()
        var t: Float = 0
        var adam = FusedAdam(learningRate: eta, beta1: beta1, beta2: beta2, epsilon: epsilon)
        var parameters = W + b
        for order in orders { for s in stride(from: 0, to: order.count, by: batch) {
            let rows = Array(order[s..<min(s + batch, order.count)])
            let x = train.images.gatheringRows(rows)
            let y = oneHot(labels: rows.map { train.labels[$0] }, classes: 10)
            if fusedAdam { W = Array(parameters[0..<4]); b = Array(parameters[4..<8]) }
            var a = [x], z: [Tensor] = []
            for l in 0..<4 {
                let zl = a[l].matmul(W[l]) + b[l]
                z.append(zl)
                a.append(l < 3 ? relu(zl) : softmax(zl))
            }
            var delta = (a[4] - y) / Float(rows.count)
            t += 1
            let (c1, c2) = (1 - Foundation.pow(beta1, t), 1 - Foundation.pow(beta2, t))
            var gradients = [Tensor](repeating: Tensor.zeros(1), count: 8)
            for l in stride(from: 3, through: 0, by: -1) {
                let dW = matmul(a[l], delta, transposeA: true)
                let db = delta.sum(axis: 0)
                if l > 0 { delta = matmul(delta, W[l], transposeB: true) * reluPrime(z[l - 1]) }
                if fusedAdam { (gradients[l], gradients[4 + l]) = (dW, db); continue }
                mW[l] = beta1 * mW[l] + (1 - beta1) * dW
                vW[l] = beta2 * vW[l] + (1 - beta2) * dW * dW
                W[l] = W[l] - eta * (mW[l] / c1) / ((vW[l] / c2).squareRoot() + epsilon)
                mb[l] = beta1 * mb[l] + (1 - beta1) * db
                vb[l] = beta2 * vb[l] + (1 - beta2) * db * db
                b[l] = b[l] - eta * (mb[l] / c1) / ((vb[l] / c2).squareRoot() + epsilon)
            }
            if fusedAdam {
                W = []; b = []              // the optimiser's update is then in place
                adam.update(&parameters, gradients: gradients)
            }
        } }
        if fusedAdam { W = Array(parameters[0..<4]); b = Array(parameters[4..<8]) }
        return outcome(seconds: Date().timeIntervalSince(start) / Double(epochs), W: W, b: b, test: test)
    }

    /// The fused epoch: the same model, data order and initial weights, written for speed with
    /// NeuralKit's in-place operations — the bias added in place, the ReLU mask read from the
    /// activations, softmax's gradient formed in place — and `FusedAdam`. (Closures passed to
    /// `mapInPlace` cost a call per element from another module: NeuralKit's own `relu` and
    /// `reluPrime` are faster.)
    static func fusedEpoch(_ train: MNISTSet, _ test: MNISTSet, seed: UInt64, epochs: Int = 1) -> Outcome {
        var g = SeededGenerator(seed: seed)
        var parameters = (0..<4).map { Tensor.he([sizes[$0], sizes[$0 + 1]], fanIn: sizes[$0], using: &g) }
            + (0..<4).map { Tensor.zeros(sizes[$0 + 1]) }
        let orders = (0..<epochs).map { _ in g.permutation(train.labels.count) }
        var adam = FusedAdam(learningRate: 1e-3)
        var gradients = parameters
        let start = Date()
        for order in orders { for s in stride(from: 0, to: order.count, by: batch) {
            let rows = Array(order[s..<min(s + batch, order.count)])
            var a = [train.images.gatheringRows(rows)]
            for l in 0..<4 {
                var z = a[l].matmul(parameters[l])
                z += parameters[4 + l]
                if l < 3 { z = relu(z) }
                a.append(z)
            }
            // δ = (softmax(z) − onehot) / N, formed in place.
            var delta = softmax(a[4])
            delta -= oneHot(labels: rows.map { train.labels[$0] }, classes: 10)
            delta.scale(by: 1 / Float(rows.count))
            for l in stride(from: 3, through: 0, by: -1) {
                gradients[l] = matmul(a[l], delta, transposeA: true)
                gradients[4 + l] = delta.sum(axis: 0)
                if l > 0 {
                    delta = matmul(delta, parameters[l], transposeB: true)
                    delta *= reluPrime(a[l])        // a = relu(z) > 0 exactly where z > 0
                }
            }
            adam.update(&parameters, gradients: gradients)
        } }
        return outcome(seconds: Date().timeIntervalSince(start) / Double(epochs), W: Array(parameters[0..<4]), b: Array(parameters[4..<8]), test: test)
    }

    /// Test accuracy and peak memory after an epoch that took `seconds`.
    static func outcome(seconds: Double, W: [Tensor], b: [Tensor], test: MNISTSet) -> Outcome {
        var h = test.images
        for l in 0..<4 { h = h.matmul(W[l]) + b[l]; if l < 3 { h = relu(h) } }
        let predicted = h.argmax(axis: 1)
        let correct = zip(predicted, test.labels).filter { $0 == $1 }.count
        let peak = peakMemoryMegabytes()
        return Outcome(seconds: seconds, accuracy: Double(correct) / Double(test.labels.count), peakMegabytes: peak)
    }
}
