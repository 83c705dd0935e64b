import Foundation
import Testing
import NeuralKit

/// The tensor core against NumPy: the expected values below were computed with NumPy 2 (float32)
/// from the same inputs. Shape errors trap (`precondition`) and are not tested here.
@Suite struct TensorTests {
    let a: Tensor = [[1, 2, 3], [4, 5, 6]]                                  // (2, 3)
    /// np.arange(24).reshape(2, 3, 4) * 0.5 - 3
    let cube = Tensor(shape: [2, 3, 4], scalars: (0..<24).map { Float($0) * 0.5 - 3 })

    // MARK: Construction

    @Test func literalsAndInitialisersAgree() {
        let m: Tensor = [[1, 2], [3, 4]]
        #expect(m.shape == [2, 2] && m.rank == 2 && m.count == 4)
        #expect(m == Tensor([[1, 2], [3, 4]] as [[Float]]))
        #expect(m == Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        #expect(m[1, 0] == 3)
        let v: Tensor = [1.5, -2]
        #expect(v.shape == [2] && v[1] == -2)
        let t: Tensor = [[[1, 2]], [[3, 4]]]
        #expect(t.shape == [2, 1, 2] && t[1, 0, 1] == 4)
        #expect(Tensor([0.5, 0.25] as [Double]).scalars == [0.5, 0.25])
        var w = Tensor.zeros(2, 3)
        w[1, 2] = 7
        #expect(w.scalars == [0, 0, 0, 0, 0, 7])
        #expect(Tensor.ones(1, 4).scalars == [1, 1, 1, 1])
        #expect(Tensor.identity(3).scalars == [1, 0, 0, 0, 1, 0, 0, 0, 1])
        #expect(a.strides == [3, 1] && cube.strides == [12, 4, 1])
        #expect(a.rows == [[1, 2, 3], [4, 5, 6]])
    }

    @Test func linspaceMatchesNumPy() {
        // np.linspace(-1, 2, 7)
        #expect(Tensor.linspace(-1, 2, count: 7).scalars == [-1, -0.5, 0, 0.5, 1, 1.5, 2])
        #expect(Tensor.linspace(3, 4, count: 1).scalars == [3])
    }

    @Test func seededRandomTensorsAreReproducible() {
        var g1 = SeededGenerator(seed: 5), g2 = SeededGenerator(seed: 5)
        let u = Tensor.uniform([50, 4], low: -2, high: 3, using: &g1)
        #expect(u == Tensor.uniform([50, 4], low: -2, high: 3, using: &g2))
        #expect(u.scalars.allSatisfy { $0 >= -2 && $0 <= 3 })
        let n = Tensor.normal([3, 3], using: &g1)
        #expect(n != Tensor.normal([3, 3], using: &g1))
    }

    // MARK: Broadcasting

    @Test func broadcastsRowVectorAndColumn() {
        let row: Tensor = [[10, 20, 30]]             // (1, D)
        let vector: Tensor = [0.5, -1, 2]            // (D,)
        let column: Tensor = [[100], [200]]          // (H, 1)
        #expect(a + row == [[11, 22, 33], [14, 25, 36]])
        #expect(a * vector == [[0.5, -2, 6], [2, -5, 12]])
        #expect(a - column == [[-99, -98, -97], [-196, -195, -194]])
        #expect(column + row == [[110, 120, 130], [210, 220, 230]])
        let quotient: Tensor = [[0.5, -0.5, 0.6666666865348816], [0.125, -0.20000000298023224, 0.3333333432674408]]
        #expect((vector / a).isApproximatelyEqual(to: quotient, absoluteTolerance: 0, relativeTolerance: 1e-7))
    }

    @Test func broadcastsAcrossRanks() {
        // np.arange(6).reshape(2, 1, 3) * [[1], [-1], [2], [0.5]] → (2, 4, 3)
        let p = Tensor(shape: [2, 1, 3], scalars: [0, 1, 2, 3, 4, 5])
        let q: Tensor = [[1], [-1], [2], [0.5]]
        let product = p * q
        #expect(product.shape == [2, 4, 3])
        #expect(product.scalars == [0, 1, 2, -0, -1, -2, 0, 2, 4, 0, 0.5, 1,
                                    3, 4, 5, -3, -4, -5, 6, 8, 10, 1.5, 2, 2.5])
    }

    @Test func scalarOperationsAndElementwiseHelpers() {
        #expect(2 * a - 1 == [[1, 3, 5], [7, 9, 11]])
        #expect(1 / Tensor([1, 2, 4] as [Float]) == [1, 0.5, 0.25])
        #expect(-a == a * -1)
        var b = a
        b += a
        #expect(b == a * 2)
        #expect(a.squared() == [[1, 4, 9], [16, 25, 36]])
        #expect(a.pow(3).isApproximatelyEqual(to: [[1, 8, 27], [64, 125, 216]]))
        #expect(Tensor([4, 9] as [Float]).squareRoot() == [2, 3])
        #expect(Tensor([-1.5, 2] as [Float]).absolute() == [1.5, 2])
        #expect(a.clipped(2, 5) == [[2, 2, 3], [4, 5, 5]])
        #expect(a.combined(with: [[1], [0]]) { max($0, $1) } == [[1, 2, 3], [4, 5, 6]])
    }

    // MARK: Reductions

    @Test func reductionsAlongAxesMatchNumPy() {
        let x: Tensor = [[3, -1, 4], [1, 5, -9]]
        #expect(x.sum() == 3 && x.mean() == 0.5 && x.max() == 5 && x.min() == -9)
        #expect(x.sum(axis: 0) == [4, 4, -5])
        #expect(x.sum(axis: 1) == [6, -3])
        #expect(x.mean(axis: 0) == [2, 2, -2.5])
        #expect(x.mean(axis: 1, keepingDimensions: true) == [[2], [-1]])
        #expect(x.max(axis: 0) == [3, 5, 4])
        #expect(x.max(axis: 1) == [4, 5])
        #expect(x.sum(axis: 0, keepingDimensions: true).shape == [1, 3])
        #expect(x.sum(axis: -1).shape == [2])
    }

    @Test func reductionsOfRankThreeMatchNumPy() {
        let s = cube.sum(axis: 1, keepingDimensions: true)
        #expect(s.shape == [2, 1, 4])
        #expect(s.scalars == [-3, -1.5, 0, 1.5, 15, 16.5, 18, 19.5])
        let m = cube.mean(axis: -1)
        #expect(m.shape == [2, 3])
        #expect(m.scalars == [-2.25, -0.25, 1.75, 3.75, 5.75, 7.75])
        #expect(cube.max(axis: 0).scalars == [3, 3.5, 4, 4.5, 5, 5.5, 6, 6.5, 7, 7.5, 8, 8.5])
    }

    @Test func longSumsDoNotLosePrecision() {
        // 10⁶ copies of 0.1f: a Float accumulator drifts by ~1%; the exact sum is 10⁶ · 0.1f.
        let x = Tensor(shape: [1_000_000], repeating: 0.1)
        #expect(abs(Double(x.sum()) - 1e6 * Double(Float(0.1))) < 0.01)
    }

    @Test func argmaxTakesTheFirstOfTies() {
        let x: Tensor = [[1, 3, 3], [2, 2, 1], [0, 0, 0]]
        #expect(x.argmax(axis: 1) == [1, 0, 0])     // np.argmax(x, axis=1)
        #expect(x.argmax(axis: 0) == [1, 0, 0])     // np.argmax(x, axis=0)
        #expect(x.argmax() == 1)
        // np.argmax(y, axis=k) for y = [[[1, 5], [7, 2]], [[0, 0], [3, 9]]]
        let y: Tensor = [[[1, 5], [7, 2]], [[0, 0], [3, 9]]]
        #expect(y.argmax(axis: 0) == [0, 0, 0, 1])
        #expect(y.argmax(axis: 1) == [1, 0, 1, 1])
        #expect(y.argmax(axis: 2) == [1, 0, 0, 1])
        #expect(Tensor([-5, -1, -1, -7] as [Float]).argmax(axis: 0) == [1])
    }

    // MARK: Shaping

    @Test func reshapeInfersMinusOne() {
        let x = Tensor(shape: [6], scalars: [1, 2, 3, 4, 5, 6])
        #expect(x.reshaped(2, -1).shape == [2, 3])
        #expect(x.reshaped(-1, 2).rows == [[1, 2], [3, 4], [5, 6]])
        #expect(cube.reshaped(-1, 4).shape == [6, 4])
        #expect(cube.reshaped(to: [2, -1]).shape == [2, 12])
        #expect(cube.flattened().shape == [24] && cube.flattened().scalars == cube.scalars)
    }

    @Test func transposeAndPermute() {
        #expect(a.transposed() == [[1, 4], [2, 5], [3, 6]])
        #expect(a.T.T == a)
        #expect(Tensor([1, 2, 3] as [Float]).transposed().shape == [3, 1])
        // A matrix larger than the 32 × 32 transposition block, against the element definition.
        let big = Tensor(shape: [70, 45], scalars: (0..<3150).map { Float($0) })
        let t = big.T
        #expect(t.shape == [45, 70] && t[44, 69] == big[69, 44] && t[3, 40] == big[40, 3])
        // np.transpose(cube, (2, 0, 1))
        let p = cube.permuted(2, 0, 1)
        #expect(p.shape == [4, 2, 3])
        #expect(p.scalars == [-3, -1, 1, 3, 5, 7, -2.5, -0.5, 1.5, 3.5, 5.5, 7.5,
                              -2, 0, 2, 4, 6, 8, -1.5, 0.5, 2.5, 4.5, 6.5, 8.5])
        #expect(a.permuted(1, 0) == a.T)
        #expect(cube.permuted(0, 1, 2) == cube)
    }

    @Test func rowsGatherColumnsAndConcatenate() {
        let x: Tensor = [[1, 2], [3, 4], [5, 6], [7, 8]]
        #expect(x.rows(1..<3) == [[3, 4], [5, 6]])
        #expect(x.rows(2...3) == [[5, 6], [7, 8]])
        #expect(x.row(0) == [[1, 2]])
        #expect(x.rows(0..<0).shape == [0, 2])
        #expect(x.gatheringRows([3, 0, 3]) == [[7, 8], [1, 2], [7, 8]])
        #expect(x.column(1) == [[2], [4], [6], [8]])
        #expect(cube.rows(1..<2).shape == [1, 3, 4] && cube.rows(1..<2).scalars == Array(cube.scalars[12...]))
        #expect(Tensor.concatenate([a, [[7, 8, 9]]], axis: 0) == [[1, 2, 3], [4, 5, 6], [7, 8, 9]])
        // np.concatenate([a, c], 1)
        #expect(Tensor.concatenate([a, [[100], [200]]], axis: 1) == [[1, 2, 3, 100], [4, 5, 6, 200]])
        #expect(Tensor.concatenate([a, a], axis: -1).shape == [2, 6])
        let stacked = Tensor.concatenate([cube, cube.map { -$0 }], axis: 1)
        #expect(stacked.shape == [2, 6, 4] && stacked[1, 4, 2] == -cube[1, 1, 2])
    }

    // MARK: Math

    @Test func softmaxRowsSumToOneAndMatchNumPy() {
        let z: Tensor = [[1, 2, 3], [-1, 0, 5]]
        let expected: Tensor = [[0.09003057317038046, 0.24472847105479767, 0.6652409557748219],
                                [0.0024561149044509535, 0.006676412513376451, 0.9908674725821726]]
        let s = softmax(z)
        #expect(s.isApproximatelyEqual(to: expected, absoluteTolerance: 1e-7, relativeTolerance: 1e-6))
        for total in s.sum(axis: 1).scalars { #expect(abs(total - 1) < 1e-6) }
        #expect(logSoftmax(z).isApproximatelyEqual(to: log(expected), absoluteTolerance: 1e-6))
    }

    @Test func softmaxIsStableWithLargeScores() {
        let large: Tensor = [[1000, 1001, 1002], [-1000, -1001, -1002]]
        let s = softmax(large)
        #expect(s.isFinite)
        #expect(s.row(0).isApproximatelyEqual(to: softmax([[0, 1, 2]]), absoluteTolerance: 1e-7))
        #expect(logSoftmax(large).isFinite)
        #expect(abs(logSoftmax(large)[0, 2] - Float(Foundation.log(0.6652409557748219))) < 1e-6)
    }

    @Test func sigmoidIsFiniteAtExtremesAndAccurate() {
        let extremes = sigmoid(Tensor([-1000, 1000] as [Float]))
        #expect(extremes.isFinite)
        #expect(extremes.scalars == [0, 1])
        var worst: Double = 0
        for i in 0...600 {
            let z = -30 + Double(i) / 10
            let exact = 1 / (1 + Foundation.exp(-z))
            worst = max(worst, abs(Double(sigmoid(Float(z))) - exact) / exact)
        }
        #expect(worst < 1e-6, "worst relative error \(worst)")
        let z: Tensor = [-2, 0, 3]
        let sigma = sigmoid(z)
        #expect(sigmoidPrime(z).isApproximatelyEqual(to: sigma * (1 - sigma)))
        #expect(sigmoidPrime(Tensor([0] as [Float])).scalars == [0.25])
    }

    @Test func activationsAndTheirDerivatives() {
        let z: Tensor = [-2, 0, 0.5]
        #expect(relu(z) == [0, 0, 0.5])
        #expect(reluPrime(z) == [0, 0, 1])
        // np.tanh([-2, 0, 0.5]) and 1 − tanh²
        #expect(tanh(z).isApproximatelyEqual(to: [-0.9640275800758169, 0, 0.46211715726000974], absoluteTolerance: 1e-7))
        #expect(tanhPrime(z).isApproximatelyEqual(to: [0.07065082485316443, 1, 0.7864477329659274], absoluteTolerance: 1e-6))
        #expect(exp(Tensor([0, 1] as [Float])).isApproximatelyEqual(to: [1, 2.718281828459045]))
    }

    // MARK: Printing and comparison

    @Test func descriptionLooksLikeNumPy() {
        let m: Tensor = [[1, 2], [3, 4]]
        #expect(m.description == "[[1.0000, 2.0000],\n [3.0000, 4.0000]]")
        #expect(Tensor([1, -0.5] as [Float]).description == "[1.0000, -0.5000]")
        let t: Tensor = [[[1, 2]], [[3, 4]]]
        #expect(t.description == "[[[1.0000, 2.0000]],\n\n [[3.0000, 4.0000]]]")
        #expect(Tensor.linspace(0, 9, count: 10).description
                == "[0.0000, 1.0000, 2.0000, ..., 7.0000, 8.0000, 9.0000]")
        #expect(Tensor([1e-5, 123_456, 0] as [Float]).description == "[1.000e-05, 1.235e+05, 0.0000]")
        #expect(Tensor([.nan, .infinity, -.infinity] as [Float]).description == "[nan, inf, -inf]")
        #expect(Tensor.zeros(0).description == "Tensor(shape: (0,), [])")
        #expect(Tensor.zeros(3).shapeDescription == "(3,)" && a.shapeDescription == "(2, 3)")
    }

    @Test func approximateEqualityUsesBothTolerances() {
        let x: Tensor = [1, 100]
        #expect(x.isApproximatelyEqual(to: [1.000001, 100.001]))
        #expect(!x.isApproximatelyEqual(to: [1.1, 100]))
        #expect(!x.isApproximatelyEqual(to: [[1, 100]]))                 // shapes differ
        #expect(!Tensor([Float.nan]).isApproximatelyEqual(to: Tensor([Float.nan])))
    }
}
