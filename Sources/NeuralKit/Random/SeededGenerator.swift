/// A seeded pseudo-random generator: **xoshiro256\*\*** (Blackman & Vigna, 2018), with its 256-bit
/// state filled from the seed by **SplitMix64**, as the authors recommend.
///
/// Every random choice in the toolkit takes one of these, so the same seed gives the same numbers
/// on every platform: the algorithm uses only 64-bit integer arithmetic, and every derived value
/// (uniform floats, bounded integers, normal samples) is computed with IEEE-exact operations or
/// with the toolkit's own portable `DeterministicMath` — never with the platform's `log` or `cos`,
/// whose last bit may differ between Linux and macOS.
///
/// It conforms to `RandomNumberGenerator`, so `Int.random(in:using:)` works with it too, but the
/// standard library does not promise that those algorithms stay the same between Swift versions;
/// the toolkit itself uses the methods below, whose algorithms are fixed here.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// Creates a generator whose whole sequence is determined by `seed`.
    public init(seed: UInt64) {
        var x = seed
        func splitMix() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = rotate(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotate(s3, 45)
        return result
    }

    @inline(__always)
    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform `Double` in [0, 1) with 53 random bits.
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform `Double` in [low, high).
    public mutating func uniform(_ low: Double = 0, _ high: Double = 1) -> Double {
        low + (high - low) * nextDouble()
    }

    /// A uniform integer in `0..<upperBound` (Lemire's multiply-and-reject method, unbiased).
    public mutating func nextInt(below upperBound: Int) -> Int {
        require(upperBound > 0, "SeededGenerator.nextInt(below:): the upper bound must be positive, got \(upperBound)")
        let bound = UInt64(upperBound)
        let threshold = (0 &- bound) % bound
        while true {
            let product = next().multipliedFullWidth(by: bound)
            if product.low >= threshold { return Int(product.high) }
        }
    }

    /// A sample from the normal distribution N(mean, std²) by Marsaglia's polar method.
    public mutating func normal(mean: Double = 0, std: Double = 1) -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return mean + std * spare
        }
        while true {
            let u = 2 * nextDouble() - 1
            let v = 2 * nextDouble() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let factor = (-2 * DeterministicMath.log(s) / s).squareRoot()
                spareNormal = v * factor
                return mean + std * u * factor
            }
        }
    }
    private var spareNormal: Double?

    /// A random permutation of `0..<count` (Fisher–Yates).
    public mutating func permutation(_ count: Int) -> [Int] {
        var indices = Array(0..<count)
        shuffle(&indices)
        return indices
    }

    /// Shuffles `array` in place (Fisher–Yates with `nextInt(below:)`).
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = nextInt(below: i + 1)
            if i != j { array.swapAt(i, j) }
        }
    }
}
