import Testing
@_spi(Testing) import NeuralKit

/// `Gemm.multiply` (packed, blocked, threaded kernel and the direct small path) against
/// `Gemm.reference`, the naive triple loop accumulated in `Double`.
///
/// Shape letters: `C (M, N) = op(A) (M, K) · op(B) (K, N)`.
/// Tolerance: summing `K` products in `Float` in any order is off by at most about
/// `K · ε · Σ_p |A(i, p)| |B(p, j)|` (ε = 2⁻²⁴), so each element is compared with a bound
/// proportional to its own magnitude sum, not to the size of the result.
@Suite struct GemmTests {
    /// Multiplies seeded random matrices both ways; returns a description of the first element
    /// out of tolerance, or nil when all match.
    static func mismatch(m: Int, n: Int, k: Int, transposeA: Bool, transposeB: Bool, seed: UInt64,
                         path: GemmPath? = nil, packed: Bool = false) -> String? {
        var generator = SeededGenerator(seed: seed)
        let a = (0..<(m * k)).map { _ in Float(generator.uniform(-1, 1)) }
        let b = (0..<(k * n)).map { _ in Float(generator.uniform(-1, 1)) }
        // NaN everywhere: a kernel that adds to C instead of overwriting it shows up.
        var c = [Float](repeating: .nan, count: m * n)
        var expected = [Float](repeating: 0, count: m * n)
        var magnitude = [Float](repeating: 0, count: m * n)
        let absoluteA = a.map(abs), absoluteB = b.map(abs)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    if let path, packed {
                        // The packed kernel of a given CPU path, on the calling thread, whatever the size.
                        Gemm.multiplyPacked(m: m, n: n, k: k, a: a.baseAddress!, transposeA: transposeA,
                                            b: b.baseAddress!, transposeB: transposeB, c: c.baseAddress!,
                                            path: path)
                    } else if let path {
                        // The whole product (small path or packed and threaded) with a given CPU path.
                        Gemm.multiply(m: m, n: n, k: k, a: a.baseAddress!, transposeA: transposeA,
                                      b: b.baseAddress!, transposeB: transposeB, c: c.baseAddress!, path: path)
                    } else {
                        Gemm.multiply(m: m, n: n, k: k, a: a.baseAddress!, transposeA: transposeA,
                                      b: b.baseAddress!, transposeB: transposeB, c: c.baseAddress!)
                    }
                }
                expected.withUnsafeMutableBufferPointer { r in
                    Gemm.reference(m: m, n: n, k: k, a: a.baseAddress!, transposeA: transposeA,
                                   b: b.baseAddress!, transposeB: transposeB, c: r.baseAddress!)
                }
            }
        }
        absoluteA.withUnsafeBufferPointer { a in
            absoluteB.withUnsafeBufferPointer { b in
                magnitude.withUnsafeMutableBufferPointer { r in
                    Gemm.reference(m: m, n: n, k: k, a: a.baseAddress!, transposeA: transposeA,
                                   b: b.baseAddress!, transposeB: transposeB, c: r.baseAddress!)
                }
            }
        }
        let epsilon = Float(1) / Float(1 << 24)
        for index in 0..<(m * n) {
            let tolerance = 2 * Float(max(k, 1)) * epsilon * magnitude[index]
            if !(abs(c[index] - expected[index]) <= tolerance) {
                return "M=\(m) N=\(n) K=\(k) transposeA=\(transposeA) transposeB=\(transposeB): "
                    + "C[\(index / n), \(index % n)] = \(c[index]), expected \(expected[index]) ± \(tolerance)"
            }
        }
        return nil
    }

    static let transposes = [(false, false), (true, false), (false, true), (true, true)]

    @Test func matchesReferenceOnRandomShapes() {
        var generator = SeededGenerator(seed: 2024)
        for trial in 0..<40 {
            let m = 1 + generator.nextInt(below: 150)
            let n = 1 + generator.nextInt(below: 150)
            let k = 1 + generator.nextInt(below: 150)
            let (transposeA, transposeB) = Self.transposes[trial % 4]
            let problem = Self.mismatch(m: m, n: n, k: k, transposeA: transposeA, transposeB: transposeB,
                                        seed: UInt64(trial))
            #expect(problem == nil, "\(problem ?? "")")
        }
    }

    /// Sizes that leave partial register tiles and partial cache blocks, in every transpose:
    /// `size` against every other size, each product in one of its three orientations.
    @Test(arguments: [1, 3, 7, 17, 33, 65, 129, 257])
    func matchesReferenceOnOddSizes(size: Int) {
        let sizes = [1, 3, 7, 17, 33, 65, 129, 257]
        for (index, other) in sizes.enumerated() {
            let third = sizes[(index + 3) % sizes.count]
            // Keep each product small enough for a debug build.
            guard size * other * third <= 257 * 129 * 33 else { continue }
            let orientations = [(size, other, third), (other, third, size), (third, size, other)]
            for (turn, (transposeA, transposeB)) in Self.transposes.enumerated() {
                let (m, n, k) = orientations[(index + turn) % 3]
                let problem = Self.mismatch(m: m, n: n, k: k, transposeA: transposeA,
                                            transposeB: transposeB, seed: UInt64(m * 1000 + n))
                #expect(problem == nil, "\(problem ?? "")")
            }
        }
    }

    /// Sizes one below, at and one above the register tile, the cache blocks and the size
    /// from which products are packed (`M·N·K` = 1000).
    @Test func matchesReferenceAcrossBlockBoundaries() {
        let cases: [(m: Int, n: Int, k: Int)] = [
            (2, 3, 4), (9, 9, 9), (9, 9, 10), (10, 10, 10), (10, 11, 10), (2, 2, 300),
            (5, 15, 40), (6, 16, 40), (7, 17, 40), (11, 31, 64), (12, 32, 64), (13, 33, 64),
            (119, 20, 30), (120, 20, 30), (121, 20, 30), (241, 17, 19),
            (20, 10, 255), (20, 10, 256), (20, 10, 257), (9, 7, 513),
            (6, 1023, 9), (6, 1024, 9), (7, 1025, 9), (3, 2049, 5),
        ]
        for (index, shape) in cases.enumerated() {
            let (transposeA, transposeB) = Self.transposes[index % 4]
            let problem = Self.mismatch(m: shape.m, n: shape.n, k: shape.k, transposeA: transposeA,
                                        transposeB: transposeB, seed: UInt64(index))
            #expect(problem == nil, "\(problem ?? "")")
        }
    }

    /// Row vector on the left, column vector on the right: the matrix-vector paths.
    @Test(arguments: [(1, 300, 200), (300, 1, 200), (1, 1, 333), (1, 17, 1), (250, 3, 1), (1, 129, 65)])
    func matchesReferenceForSingleRowsAndColumns(shape: (m: Int, n: Int, k: Int)) {
        for (transposeA, transposeB) in Self.transposes {
            let problem = Self.mismatch(m: shape.m, n: shape.n, k: shape.k, transposeA: transposeA,
                                        transposeB: transposeB, seed: 7)
            #expect(problem == nil, "\(problem ?? "")")
        }
    }

    /// Products large enough to be split across threads (over 2¹⁷ multiply-adds per thread),
    /// each worker writing its own block.
    @Test func matchesReferenceWhenThreaded() {
        for (index, (transposeA, transposeB)) in Self.transposes.enumerated() {
            let problem = Self.mismatch(m: 150, n: 140 + index, k: 130, transposeA: transposeA,
                                        transposeB: transposeB, seed: 99)
            #expect(problem == nil, "\(problem ?? "")")
        }
    }

    /// Only the best CPU path runs through `multiply` on a given machine; test every path this
    /// machine supports (the portable one always) directly, tile by tile and at edges.
    @Test(arguments: GemmPath.supported)
    func everyPathMatchesReference(path: GemmPath) {
        let cases: [(m: Int, n: Int, k: Int)] = [(1, 1, 1), (6, 8, 5), (7, 9, 3), (13, 17, 31), (37, 41, 300),
                                                 (121, 20, 77), (30, 33, 257), (6, 16, 1), (12, 32, 9),
                                                 (5, 31, 513), (130, 10, 600), (7, 16, 300), (128, 10, 128)]
        for (index, shape) in cases.enumerated() {
            for (transposeA, transposeB) in Self.transposes {
                let problem = Self.mismatch(m: shape.m, n: shape.n, k: shape.k, transposeA: transposeA,
                                            transposeB: transposeB, seed: UInt64(index), path: path, packed: true)
                #expect(problem == nil, "\(path): \(problem ?? "")")
            }
        }
    }

    /// Every path through `multiply`: threaded, across the MC, KC and NC block boundaries.
    @Test(arguments: GemmPath.supported)
    func everyPathMatchesReferenceWhenThreaded(path: GemmPath) {
        let cases: [(m: Int, n: Int, k: Int)] = [(150, 141, 130), (127, 1100, 70), (250, 37, 600), (64, 64, 64)]
        for (index, shape) in cases.enumerated() {
            for (transposeA, transposeB) in Self.transposes {
                let problem = Self.mismatch(m: shape.m, n: shape.n, k: shape.k, transposeA: transposeA,
                                            transposeB: transposeB, seed: UInt64(40 + index), path: path)
                #expect(problem == nil, "\(path): \(problem ?? "")")
            }
        }
    }

    /// A path gives the same bits every time, threaded or not: each element is summed in the same
    /// order whatever the split of C between threads.
    @Test(arguments: GemmPath.supported)
    func pathsAreDeterministic(path: GemmPath) {
        let (m, n, k) = (190, 145, 600)
        var generator = SeededGenerator(seed: 11)
        let a = (0..<(m * k)).map { _ in Float(generator.normal()) }
        let b = (0..<(k * n)).map { _ in Float(generator.normal()) }
        func product(threaded: Bool) -> [Float] {
            var c = [Float](repeating: 0, count: m * n)
            a.withUnsafeBufferPointer { a in
                b.withUnsafeBufferPointer { b in
                    c.withUnsafeMutableBufferPointer { c in
                        if threaded {
                            Gemm.multiply(m: m, n: n, k: k, a: a.baseAddress!, transposeA: false,
                                          b: b.baseAddress!, transposeB: true, c: c.baseAddress!, path: path)
                        } else {
                            Gemm.multiplyPacked(m: m, n: n, k: k, a: a.baseAddress!, transposeA: false,
                                                b: b.baseAddress!, transposeB: true, c: c.baseAddress!, path: path)
                        }
                    }
                }
            }
            return c
        }
        let first = product(threaded: true)
        #expect(product(threaded: true) == first)
        #expect(product(threaded: false) == first)
    }

    /// On AVX-512, a block of at most 16 columns runs a narrower kernel that reads A unpacked;
    /// it must give the bits of the 6 × 32 kernel, so a column of C does not depend on how C is split.
    @Test func narrowBlocksGiveTheBitsOfWideOnes() {
        let (m, n, k, narrow) = (50, 40, 600, 8)
        var generator = SeededGenerator(seed: 5)
        let a = (0..<(m * k)).map { _ in Float(generator.normal()) }
        let b = (0..<(k * n)).map { _ in Float(generator.normal()) }
        // The last `narrow` columns of B, as a matrix of their own.
        let lastColumns = (0..<k).flatMap { p in b[(p * n + n - narrow)..<(p * n + n)] }
        for path in GemmPath.supported {
            for transposeA in [false, true] {
                var wide = [Float](repeating: 0, count: m * n)
                var thin = [Float](repeating: 0, count: m * narrow)
                a.withUnsafeBufferPointer { a in
                    b.withUnsafeBufferPointer { b in
                        wide.withUnsafeMutableBufferPointer { c in
                            Gemm.multiplyPacked(m: m, n: n, k: k, a: a.baseAddress!, transposeA: transposeA,
                                                b: b.baseAddress!, transposeB: false, c: c.baseAddress!, path: path)
                        }
                    }
                    lastColumns.withUnsafeBufferPointer { b in
                        thin.withUnsafeMutableBufferPointer { c in
                            Gemm.multiplyPacked(m: m, n: narrow, k: k, a: a.baseAddress!, transposeA: transposeA,
                                                b: b.baseAddress!, transposeB: false, c: c.baseAddress!, path: path)
                        }
                    }
                }
                let expected = (0..<m).flatMap { i in wide[(i * n + n - narrow)..<(i * n + n)] }
                #expect(thin == expected, "\(path), transposeA=\(transposeA)")
            }
        }
    }

    /// The portable path is always there, and the best path is one this CPU supports.
    @Test func pathChoice() {
        #expect(GemmPath.portable.isSupported)
        #expect(GemmPath.best.isSupported)
        #expect(GemmPath.supported.contains(GemmPath.best))
        #if arch(x86_64)
        #expect(GemmPath.avx512.isSupported || GemmPath.best != .avx512)
        #else
        #expect(GemmPath.best == .portable)
        #endif
    }

    @Test func emptyInnerDimensionGivesZeros() {
        let a = [Float](repeating: 1, count: 1), b = [Float](repeating: 1, count: 1)
        for (m, n) in [(3, 4), (40, 50), (1, 9), (9, 1)] {
            var c = [Float](repeating: .nan, count: m * n)
            c.withUnsafeMutableBufferPointer { c in
                Gemm.multiply(m: m, n: n, k: 0, a: a, transposeA: false, b: b, transposeB: false,
                              c: c.baseAddress!)
            }
            #expect(c.allSatisfy { $0 == 0 })
        }
        let product = matmul(Tensor.zeros(3, 0), Tensor.zeros(0, 4))
        #expect(product.shape == [3, 4])
        #expect(product.scalars.allSatisfy { $0 == 0 })
        #expect(matmul(Tensor.zeros(0, 3), Tensor.ones(3, 4)).shape == [0, 4])
        #expect(matmul(Tensor.ones(2, 3), Tensor.zeros(0, 3), transposeB: true).shape == [2, 0])
    }

    /// Small integers are exact in `Float`, so these results are exact; values worked by hand.
    @Test func tensorMatmulComputesKnownProducts() {
        let a: Tensor = [[1, 2], [3, 4]]
        let b: Tensor = [[5, 6], [7, 8]]
        #expect(a.matmul(b) == [[19, 22], [43, 50]])
        #expect(matmul(a, b, transposeA: true) == [[26, 30], [38, 44]])
        #expect(matmul(a, b, transposeB: true) == [[17, 23], [39, 53]])
        #expect(matmul(a, b, transposeA: true, transposeB: true) == [[23, 31], [34, 46]])
    }

    @Test func tensorMatmulVectorShapes() {
        let matrix: Tensor = [[1, 2, 3], [4, 5, 6]]          // (2, 3)
        let column = Tensor([1, 0, -1] as [Float])             // (3,)
        let row = Tensor([1, -1] as [Float])                   // (2,)

        let matrixVector = matrix.matmul(column)               // (2, 3) · (3,) → (2,)
        #expect(matrixVector.shape == [2])
        #expect(matrixVector.scalars == [-2, -2])

        let vectorMatrix = row.matmul(matrix)                  // (2,) · (2, 3) → (3,)
        #expect(vectorMatrix.shape == [3])
        #expect(vectorMatrix.scalars == [-3, -3, -3])

        let transposed = matmul(matrix, row, transposeA: true) // (2, 3)ᵀ · (2,) → (3,)
        #expect(transposed.shape == [3])
        #expect(transposed.scalars == [-3, -3, -3])

        let inner = column.matmul(Tensor([2, 3, 4] as [Float]))  // (3,) · (3,) → (1,)
        #expect(inner.shape == [1])
        #expect(inner.scalars == [-2])
    }

    /// A large `Tensor` product against the reference, through the public API.
    @Test func tensorMatmulMatchesReference() throws {
        var generator = SeededGenerator(seed: 5)
        let x = Tensor.uniform([70, 90], low: -1, high: 1, using: &generator)
        let w = Tensor.uniform([80, 90], low: -1, high: 1, using: &generator)
        let product = matmul(x, w, transposeB: true)           // (70, 90) · (80, 90)ᵀ → (70, 80)
        try #require(product.shape == [70, 80])
        var expected = [Float](repeating: 0, count: 70 * 80)
        x.scalars.withUnsafeBufferPointer { a in
            w.scalars.withUnsafeBufferPointer { b in
                expected.withUnsafeMutableBufferPointer { c in
                    Gemm.reference(m: 70, n: 80, k: 90, a: a.baseAddress!, transposeA: false,
                                   b: b.baseAddress!, transposeB: true, c: c.baseAddress!)
                }
            }
        }
        let worst = zip(product.scalars, expected).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-4)
    }
}
