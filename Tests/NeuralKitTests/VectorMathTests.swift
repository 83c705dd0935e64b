import Foundation
import Testing
@_spi(Testing) @testable import NeuralKit

/// The vectorised C kernels of √x, eˣ, ln x, tanh x and σ(x): the same bits on every CPU path
/// (and in the one-value form), within 2 ulp of the `Double` functions over wide ranges, and the
/// IEEE special values. Ulp errors are measured in units of the last place of the exact result
/// rounded to Float's binade (2⁻¹⁴⁹ below the normal range).
@Suite struct VectorMathTests {
    /// `f` of every element on `path` (the best one by default).
    static func apply(_ f: VectorFunction, _ x: [Float], path: VectorMathPath = .best) -> [Float] {
        [Float](unsafeUninitializedCapacity: x.count) { y, count in
            x.withUnsafeBufferPointer { f.apply($0.baseAddress!, y.baseAddress!, count: x.count, path: path) }
            count = x.count
        }
    }

    /// The distance from `got` to the exact `want`, in ulps of `want`'s Float binade.
    static func ulpError(_ got: Float, _ want: Double) -> Double {
        let magnitude = Swift.abs(want)
        let ulp = magnitude < Double(Float.leastNormalMagnitude)
            ? Double(Float.leastNonzeroMagnitude)
            : Double(sign: .plus, exponent: magnitude.exponent - 23, significand: 1)
        return Swift.abs(Double(got) - want) / ulp
    }

    /// σ in Double, in the form that does not overflow.
    static func referenceSigmoid(_ z: Double) -> Double {
        z >= 0 ? 1 / (1 + Foundation.exp(-z)) : Foundation.exp(z) / (1 + Foundation.exp(z))
    }

    /// 100,000 seeded values: uniform in [−120, 120], uniform in [−1, 1], and arbitrary bit
    /// patterns (every binade, subnormals, ±∞ and NaN).
    static func mixedValues(seed: UInt64) -> [Float] {
        var generator = SeededGenerator(seed: seed)
        return (0..<100_000).map { i in
            switch i % 3 {
            case 0: Float(generator.uniform(-120, 120))
            case 1: Float(generator.uniform(-1, 1))
            default: Float(bitPattern: UInt32(truncatingIfNeeded: generator.next()))
            }
        }
    }

    /// The largest ulp error of `f` against `reference` on a sweep of `low...high` in `steps`
    /// equal steps plus 20,000 seeded uniform values there, and the worst input.
    static func worstError(_ f: VectorFunction, _ reference: (Double) -> Double,
                           _ low: Double, _ high: Double, steps: Int = 100_000) -> (ulps: Double, at: Float) {
        var generator = SeededGenerator(seed: 90 + UInt64(f.rawValue))
        var x = (0...steps).map { Float(low + (high - low) * Double($0) / Double(steps)) }
        x += (0..<20_000).map { _ in Float(generator.uniform(low, high)) }
        let y = apply(f, x)
        var worst: (ulps: Double, at: Float) = (0, .nan)
        for i in x.indices {
            let error = ulpError(y[i], reference(Double(x[i])))
            if !(error <= worst.ulps) { worst = (error, x[i]) }
        }
        return worst
    }

    @Test func everyPathGivesThePortablePathsBits() {
        let x = Self.mixedValues(seed: 1)
        for f in VectorFunction.allCases {
            let portable = Self.apply(f, x, path: .portable).map(\.bitPattern)
            for path in VectorMathPath.supported where path != .portable {
                let y = Self.apply(f, x, path: path).map(\.bitPattern)
                let first = x.indices.first { y[$0] != portable[$0] }
                #expect(first == nil, "\(f) on \(path): x = \(first.map { x[$0] } ?? 0) gives different bits")
            }
            // The one-value form (what `sigmoid(_: Float)` calls) matches too.
            let scalar = x.map { f($0).bitPattern }
            #expect(scalar == portable, "\(f): the one-value form differs from the array form")
        }
    }

    @Test func inPlaceGivesTheSameBitsAsOutOfPlace() {
        // 1,000,003 elements: whole blocks of 32 plus a remainder.
        var generator = SeededGenerator(seed: 2)
        let x = (0..<1_000_003).map { _ in Float(generator.uniform(-30, 30)) }
        for f in VectorFunction.allCases {
            let expected = Self.apply(f, x).map(\.bitPattern)
            var y = x
            y.withUnsafeMutableBufferPointer { f.apply($0.baseAddress!, $0.baseAddress!, count: $0.count) }
            #expect(y.map(\.bitPattern) == expected, "\(f) in place")
        }
    }

    @Test func squareRootIsCorrectlyRounded() {
        let x = Self.mixedValues(seed: 3)
        let y = Self.apply(.squareRoot, x)
        for i in x.indices where x[i] >= 0 {
            #expect(y[i].bitPattern == x[i].squareRoot().bitPattern, "sqrt(\(x[i])) = \(y[i])")
        }
        let special = Self.apply(.squareRoot, [-1, -.infinity, .nan, .infinity, 0, -0])
        #expect(special[0].isNaN && special[1].isNaN && special[2].isNaN)
        #expect(special[3] == .infinity && special[4] == 0 && special[5].bitPattern == (-0 as Float).bitPattern)
    }

    @Test func expIsWithinTwoUlpFromUnderflowToOverflow() {
        let worst = Self.worstError(.exp, Foundation.exp, -87.3, 88.72)
        #expect(worst.ulps <= 2, "exp: \(worst.ulps) ulp at x = \(worst.at)")
        let near = Self.worstError(.exp, Foundation.exp, -1, 1)
        #expect(near.ulps <= 2, "exp: \(near.ulps) ulp at x = \(near.at)")
        // Subnormal results: within 2 of the smallest subnormal step.
        let subnormal = Self.worstError(.exp, Foundation.exp, -103, -87.4, steps: 10_000)
        #expect(subnormal.ulps <= 2, "exp: \(subnormal.ulps) ulp at x = \(subnormal.at)")
    }

    @Test func expOverflowsToInfinityAndUnderflowsToZero() {
        let y = Self.apply(.exp, [89, 1000, .infinity, -104, -1000, -.infinity, .nan, 0, 88.7])
        #expect(y[0] == .infinity && y[1] == .infinity && y[2] == .infinity)
        #expect(y[3] == 0 && y[4] == 0 && y[5] == 0)
        #expect(y[6].isNaN)
        #expect(y[7] == 1)
        #expect(y[8].isFinite && y[8] > 3e38)
    }

    @Test func logIsWithinTwoUlpOnEveryBinadeAndSubnormals() {
        var generator = SeededGenerator(seed: 4)
        // Every positive float's binade: bit patterns from the smallest subnormal to the largest finite.
        let x = (0..<200_000).map { _ in Float(bitPattern: UInt32(generator.nextInt(below: 0x7F80_0000 - 1) + 1)) }
        let y = Self.apply(.log, x)
        var worst: (ulps: Double, at: Float) = (0, .nan)
        for i in x.indices {
            let error = Self.ulpError(y[i], Foundation.log(Double(x[i])))
            if !(error <= worst.ulps) { worst = (error, x[i]) }
        }
        #expect(worst.ulps <= 2, "log: \(worst.ulps) ulp at x = \(worst.at)")
        let nearOne = Self.worstError(.log, Foundation.log, 0.5, 2)
        #expect(nearOne.ulps <= 2, "log: \(nearOne.ulps) ulp at x = \(nearOne.at)")
    }

    @Test func logHasTheIEEESpecialValues() {
        let tiny = Float.leastNonzeroMagnitude
        let y = Self.apply(.log, [0, -0, -1, -.infinity, .infinity, .nan, 1, tiny])
        #expect(y[0] == -.infinity && y[1] == -.infinity)
        #expect(y[2].isNaN && y[3].isNaN && y[5].isNaN)
        #expect(y[4] == .infinity)
        #expect(y[6] == 0)
        #expect(Self.ulpError(y[7], -149 * Foundation.log(2.0)) <= 2, "log(2⁻¹⁴⁹) = \(y[7])")
    }

    @Test func tanhIsWithinTwoUlpAndSaturatesAtOne() {
        for (low, high) in [(-10.0, 10.0), (-1.0, 1.0), (-1e-3, 1e-3)] {
            let worst = Self.worstError(.tanh, Foundation.tanh, low, high)
            #expect(worst.ulps <= 2, "tanh: \(worst.ulps) ulp at x = \(worst.at)")
        }
        let y = Self.apply(.tanh, [20, 1e6, .infinity, -20, -1e6, -.infinity, .nan, -0])
        #expect(y[0...2].allSatisfy { $0 == 1 } && y[3...5].allSatisfy { $0 == -1 })
        #expect(y[6].isNaN)
        #expect(y[7].bitPattern == (-0 as Float).bitPattern)
    }

    @Test func sigmoidIsWithinTwoUlpAndNeverNaNForLargeInputs() {
        for (low, high) in [(-100.0, 30.0), (-5.0, 5.0)] {
            let worst = Self.worstError(.sigmoid, Self.referenceSigmoid, low, high)
            #expect(worst.ulps <= 2, "sigmoid: \(worst.ulps) ulp at x = \(worst.at)")
        }
        let y = Self.apply(.sigmoid, [100, 1e30, .infinity, -200, -1e30, -.infinity, .nan, 0])
        #expect(y[0...2].allSatisfy { $0 == 1 })
        #expect(y[3...5].allSatisfy { $0 == 0 })
        #expect(y[6].isNaN)
        #expect(y[7] == 0.5)
    }

    @Test func tensorFunctionsUseTheKernelsBitForBit() {
        let z = Tensor(shape: [300, 7], scalars: Self.mixedValues(seed: 5).prefix(2100).map { $0.isFinite ? $0 : 1 })
        let s = sigmoid(z), t = tanh(z)
        #expect(s.scalars.map(\.bitPattern) == z.scalars.map { sigmoid($0).bitPattern })
        #expect(sigmoidPrime(z).scalars.map(\.bitPattern) == s.scalars.map { ($0 * (1 - $0)).bitPattern })
        #expect(tanhPrime(z).scalars.map(\.bitPattern) == t.scalars.map { (1 - $0 * $0).bitPattern })
        #expect(exp(z).scalars.map(\.bitPattern) == z.scalars.map { VectorFunction.exp($0).bitPattern })
        #expect(log(z).scalars.map(\.bitPattern) == z.scalars.map { VectorFunction.log($0).bitPattern })
        #expect(z.absolute().squareRoot().scalars == z.scalars.map { Swift.abs($0).squareRoot() })
        #expect(exp(z).shape == [300, 7])
    }
}
