import Foundation
import Testing
@_spi(Testing) @testable import NeuralKit

/// The vectorised element-wise, broadcasting, reduction and gather paths against plain reference
/// loops (bit-for-bit), and the in-place operators' copy-on-write behaviour.
@Suite struct TensorFastPathTests {
    /// Deterministic, irregular values (no two equal, mixed signs, some tiny).
    static func values(_ shape: [Int], seed: Int = 1) -> Tensor {
        let n = shape.reduce(1, *)
        return Tensor(shape: shape, scalars: (0..<n).map { i in
            let x = Float((i &* 7919 &+ seed &* 104_729) % 1000) / 97 - 5
            return x == 0 ? 0.125 : x
        })
    }

    /// numpy broadcasting by unravelling every output index: the definition, one element at a time.
    static func referenceBroadcast(_ a: Tensor, _ b: Tensor, _ f: (Float, Float) -> Float) -> Tensor {
        let rank = max(a.rank, b.rank)
        let pa = [Int](repeating: 1, count: rank - a.rank) + a.shape
        let pb = [Int](repeating: 1, count: rank - b.rank) + b.shape
        let shape = (0..<rank).map { pa[$0] == 1 ? pb[$0] : pa[$0] }
        let n = shape.reduce(1, *)
        var out = [Float]()
        for flat in 0..<n {
            var rest = flat
            var index = [Int](repeating: 0, count: rank)
            for axis in stride(from: rank - 1, through: 0, by: -1) {
                index[axis] = rest % shape[axis]
                rest /= shape[axis]
            }
            var ia = 0, ib = 0
            for axis in 0..<rank {
                ia = ia * pa[axis] + (pa[axis] == 1 ? 0 : index[axis])
                ib = ib * pb[axis] + (pb[axis] == 1 ? 0 : index[axis])
            }
            out.append(f(a.scalars[ia], b.scalars[ib]))
        }
        return Tensor(shape: shape, scalars: out)
    }

    static func sameBits(_ x: Tensor, _ y: Tensor) -> Bool {
        x.shape == y.shape && x.scalars.map(\.bitPattern) == y.scalars.map(\.bitPattern)
    }

    static let shapePairs: [([Int], [Int])] = [
        ([7, 13], [7, 13]), ([1], [1]), ([33], [33]), ([0, 3], [0, 3]),
        ([5, 13], [13]), ([5, 13], [1, 13]), ([13], [5, 13]), ([1, 13], [5, 13]),
        ([9, 1], [9, 11]), ([9, 11], [9, 1]), ([9, 11], [1]), ([1], [9, 11]),
        ([2, 1, 5], [3, 1]), ([3, 1], [2, 1, 5]), ([2, 3, 1, 5], [1, 3, 4, 1]),
        ([2, 3, 4, 5], [5]), ([2, 3, 4, 5], [3, 1, 1]), ([0, 3], [3]), ([4, 1], [1, 1]),
    ]

    static let operations: [(String, @Sendable (Tensor, Tensor) -> Tensor, @Sendable (Float, Float) -> Float)] = [
        ("+", { $0 + $1 }, { $0 + $1 }), ("-", { $0 - $1 }, { $0 - $1 }),
        ("*", { $0 * $1 }, { $0 * $1 }), ("/", { $0 / $1 }, { $0 / $1 }),
    ]

    @Test func broadcastingOperatorsMatchTheReferenceLoop() {
        for (sa, sb) in Self.shapePairs {
            let a = Self.values(sa, seed: 1), b = Self.values(sb, seed: 2)
            for (name, op, f) in Self.operations {
                #expect(Self.sameBits(op(a, b), Self.referenceBroadcast(a, b, f)), "\(sa) \(name) \(sb)")
            }
            #expect(Self.sameBits(a.combined(with: b) { max($0, $1) }, Self.referenceBroadcast(a, b) { max($0, $1) }))
        }
    }

    @Test func compoundOperatorsMatchTheOutOfPlaceOnes() {
        for (sa, sb) in Self.shapePairs {
            let a = Self.values(sa, seed: 3), b = Self.values(sb, seed: 4)
            var x = a; x += b; #expect(Self.sameBits(x, a + b), "\(sa) += \(sb)")
            x = a; x -= b; #expect(Self.sameBits(x, a - b), "\(sa) -= \(sb)")
            x = a; x *= b; #expect(Self.sameBits(x, a * b), "\(sa) *= \(sb)")
            x = a; x /= b; #expect(Self.sameBits(x, a / b), "\(sa) /= \(sb)")
            x = a; x.addScaled(b, by: -0.37); #expect(Self.sameBits(x, a + (-0.37) * b), "\(sa) addScaled \(sb)")
            // `a` itself is untouched: every `x = a` shared its storage before the mutation.
            #expect(Self.sameBits(a, Self.values(sa, seed: 3)))
        }
        let a = Self.values([6, 7], seed: 5)
        var x = a; x += 1.5; #expect(Self.sameBits(x, a + 1.5))
        x = a; x -= 1.5; #expect(Self.sameBits(x, a - 1.5))
        x = a; x *= 1.5; #expect(Self.sameBits(x, a * 1.5))
        x = a; x /= 1.5; #expect(Self.sameBits(x, a / 1.5))
        x = a; x.scale(by: 0.9); #expect(Self.sameBits(x, a * 0.9))
        x = a; x.mapInPlace { $0 * $0 - 1 }; #expect(Self.sameBits(x, a.map { $0 * $0 - 1 }))
        #expect(Self.sameBits(a, Self.values([6, 7], seed: 5)))
    }

    @Test func inPlaceOperatorsKeepValueSemantics() {
        let original = Self.values([4, 5])
        var a = original
        var b = a                      // shares a's storage
        b += Tensor.ones(4, 5)
        #expect(a == original && b == original + 1)
        b *= 2                         // b now owns its storage: no effect on a
        #expect(a == original && b == (original + 1) * 2)
        let c = b
        b.addScaled(original, by: 3)
        #expect(c == (original + 1) * 2 && b == (original + 1) * 2 + 3 * original)
        a -= a                         // the right-hand side is a copy of the old value
        #expect(a == Tensor.zeros(4, 5) && original == Self.values([4, 5]))
        var d = original
        d.mapInPlace { -$0 }
        #expect(d == -original && original == Self.values([4, 5]))
        // A compound operator whose result is larger than its left side replaces it.
        var row = Tensor([1, 2, 3] as [Float]).reshaped(1, 3)
        row += Self.values([4, 3])
        #expect(row == Tensor([1, 2, 3] as [Float]).reshaped(1, 3) + Self.values([4, 3]))
        #expect(row.shape == [4, 3])
    }

    @Test func inPlaceOperatorsDoNotReallocateUniqueStorage() {
        var a = Self.values([64, 33])
        let before = a.scalars.withUnsafeBufferPointer { $0.baseAddress }
        a += Self.values([33]); a *= 0.5; a.addScaled(Self.values([64, 33], seed: 9), by: 2); a -= 1
        a.mapInPlace { $0 + 1 }
        #expect(a.scalars.withUnsafeBufferPointer { $0.baseAddress } == before)
    }

    @Test func elementwiseFunctionsMatchTheScalarFunctions() {
        let x = Self.values([17, 3])
        func check(_ t: Tensor, _ f: (Float) -> Float) {
            #expect(Self.sameBits(t, Tensor(shape: x.shape, scalars: x.scalars.map(f))))
        }
        check(x.absolute().squareRoot()) { abs($0).squareRoot() }
        check(x.squared()) { $0 * $0 }
        check(x.pow(2)) { $0 * $0 }
        check(x.absolute()) { abs($0) }
        check(x.clipped(-1, 2)) { min(max($0, -1), 2) }
        check(-x) { -$0 }
        check(x + 0.5) { $0 + 0.5 }
        check(0.5 - x) { 0.5 - $0 }
        check(3 / x) { 3 / $0 }
        // exp, log and tanh are the vector kernels (VectorMathTests), not Foundation's: same bits
        // as their one-value form.
        check(exp(x)) { VectorFunction.exp($0) }
        check(log(x.absolute())) { VectorFunction.log(abs($0)) }
        check(tanh(x)) { VectorFunction.tanh($0) }
        check(sigmoid(x)) { sigmoid($0) }
        check(relu(x)) { $0 > 0 ? $0 : 0 }
        check(reluPrime(x)) { $0 > 0 ? 1 : 0 }
        #expect(Tensor.zeros(0, 4).squareRoot().shape == [0, 4])
    }

    @Test func sumAndMaxAlongAxesMatchTheReferenceLoop() {
        for shape in [[7, 13], [1, 1], [5], [3, 5, 7], [2, 3, 4, 5], [0, 3], [3, 0]] {
            let x = Self.values(shape)
            for axis in 0..<shape.count {
                let outer = shape[..<axis].reduce(1, *), size = shape[axis], inner = shape[(axis + 1)...].reduce(1, *)
                var sums = [Double](repeating: 0, count: outer * inner)
                var maxima = [Float](repeating: -.infinity, count: outer * inner)
                for o in 0..<outer {
                    for k in 0..<size {
                        for i in 0..<inner {
                            sums[o * inner + i] += Double(x.scalars[(o * size + k) * inner + i])
                            maxima[o * inner + i] = max(maxima[o * inner + i], x.scalars[(o * size + k) * inner + i])
                        }
                    }
                }
                var kept = shape; kept[axis] = 1
                var dropped = shape; dropped.remove(at: axis)
                if dropped.isEmpty { dropped = [1] }
                #expect(Self.sameBits(x.sum(axis: axis), Tensor(shape: dropped, scalars: sums.map { Float($0) })), "\(shape) axis \(axis)")
                #expect(x.sum(axis: axis, keepingDimensions: true).shape == kept)
                if size > 0 {
                    #expect(Self.sameBits(x.max(axis: axis, keepingDimensions: true), Tensor(shape: kept, scalars: maxima)))
                }
            }
        }
    }

    @Test func gatheringRowsMatchesTheReferenceLoop() {
        for shape in [[10, 7], [9], [6, 3, 5], [5, 0]] {
            let x = Self.values(shape)
            let size = shape.dropFirst().reduce(1, *)
            for indices in [[], [0], [shape[0] - 1, 0, 2, 2, shape[0] - 1], Array((0..<shape[0]).reversed())] {
                var expected = [Float]()
                for i in indices { for j in 0..<size { expected.append(x.scalars[i * size + j]) } }
                var newShape = shape; newShape[0] = indices.count
                #expect(x.gatheringRows(indices) == Tensor(shape: newShape, scalars: expected), "\(shape) \(indices)")
            }
        }
    }

    @Test func transposeMatchesTheReferenceLoop() {
        for (m, n) in [(1, 1), (7, 13), (33, 65), (0, 4)] {
            let x = Self.values([m, n])
            let t = x.transposed()
            #expect(t.shape == [n, m])
            for i in 0..<m { for j in 0..<n { #expect(t.scalars[j * m + i] == x.scalars[i * n + j]) } }
        }
    }
}

extension TensorFastPathTests {
    @Test func permuteAndArgmaxMatchTheReferenceLoop() {
        let x = Self.values([2, 3, 4, 5])
        for axes in [[0, 1, 2, 3], [0, 2, 3, 1], [3, 2, 1, 0], [1, 0, 2, 3], [0, 1, 3, 2]] {
            let y: Tensor
            switch axes {
            case [0, 1, 2, 3]: y = x.permuted(0, 1, 2, 3)
            case [0, 2, 3, 1]: y = x.permuted(0, 2, 3, 1)
            case [3, 2, 1, 0]: y = x.permuted(3, 2, 1, 0)
            case [1, 0, 2, 3]: y = x.permuted(1, 0, 2, 3)
            default: y = x.permuted(0, 1, 3, 2)
            }
            #expect(y.shape == axes.map { x.shape[$0] })
            for a in 0..<2 { for b in 0..<3 { for c in 0..<4 { for d in 0..<5 {
                let old = [a, b, c, d]
                #expect(y[indices: axes.map { old[$0] }] == x[a, b, c, d])
            } } } }
        }
        for shape in [[7, 13], [5], [3, 5, 7]] {
            let x = Self.values(shape)
            for axis in 0..<shape.count {
                let outer = shape[..<axis].reduce(1, *), size = shape[axis], inner = shape[(axis + 1)...].reduce(1, *)
                var expected = [Int]()
                for o in 0..<outer {
                    for i in 0..<inner {
                        var best = 0
                        for k in 0..<size where x.scalars[(o * size + k) * inner + i] > x.scalars[(o * size + best) * inner + i] { best = k }
                        expected.append(best)
                    }
                }
                #expect(x.argmax(axis: axis) == expected, "\(shape) axis \(axis)")
            }
        }
    }

    @Test("permuted equals the index definition for every permutation, batched transposes included")
    func permutedMatchesDefinition() {
        func permutations(_ n: Int) -> [[Int]] {
            n == 0 ? [[]] : permutations(n - 1).flatMap { p in (0...p.count).map { i in var q = p; q.insert(n - 1, at: i); return q } }
        }
        var g = SeededGenerator(seed: 11)
        for shape in [[2, 3, 4, 5], [3, 37, 1, 40], [1, 33, 70, 2], [4, 1, 1, 9], [2, 45, 3]] {
            let x = Tensor.uniform(shape, low: -1, high: 1, using: &g)
            for axes in permutations(shape.count) {
                let y: Tensor
                switch shape.count {
                case 3: y = x.permuted(axes[0], axes[1], axes[2])
                default: y = x.permuted(axes[0], axes[1], axes[2], axes[3])
                }
                #expect(y.shape == axes.map { shape[$0] })
                var old = [Int](repeating: 0, count: shape.count), mismatches = 0
                for flat in 0..<x.count {
                    var rest = flat
                    for k in stride(from: shape.count - 1, through: 0, by: -1) { old[k] = rest % shape[k]; rest /= shape[k] }
                    if y[indices: axes.map { old[$0] }] != x.scalars[flat] { mismatches += 1 }
                }
                #expect(mismatches == 0, "permuted\(axes) of \(shape): \(mismatches) entries differ")
            }
        }
    }
}
