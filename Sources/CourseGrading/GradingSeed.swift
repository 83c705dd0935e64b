import Foundation
import NeuralKit

/// The seed of a grading run, from which every check draws its fresh inputs.
///
/// Checks never rely only on fixed, visible inputs (a student could special-case them): each also
/// draws inputs from `GradingSeed.generator("what for")`. The generator depends on the run's seed
/// and on the name given, not on the order checks run in, so a check that is run again after a
/// crash sees the same numbers, and `course grade NN --seed S` reproduces a report exactly.
///
/// - `COURSE_GRADING_SEED=S` sets the run's seed (`course grade` picks a new one each run and
///   prints it); unset, the seed is `defaultSeed`, so a plain `swift test` is repeatable.
/// - `COURSE_GRADING_SEEDS=S1,S2,…` runs every check once per seed (what `course verify` uses to
///   prove that no seed makes the reference solution fail); a failure message then names its seed.
public enum GradingSeed {
    /// The environment variable holding the run's seed.
    public static let environmentKey = "COURSE_GRADING_SEED"
    /// The environment variable holding several seeds, each check running once per seed.
    public static let seedsKey = "COURSE_GRADING_SEEDS"
    /// The seed when none is given.
    public static let defaultSeed: UInt64 = 2026

    @TaskLocal static var active: UInt64?

    /// The seeds every check runs with, in order (one, unless `COURSE_GRADING_SEEDS` lists more).
    public static let seeds: [UInt64] = {
        let environment = ProcessInfo.processInfo.environment
        if let list = environment[seedsKey] {
            let parsed = list.split(separator: ",").compactMap { UInt64($0.trimmingCharacters(in: .whitespaces)) }
            if !parsed.isEmpty { return parsed }
        }
        if let text = environment[environmentKey], let seed = UInt64(text.trimmingCharacters(in: .whitespaces)) {
            return [seed]
        }
        return [defaultSeed]
    }()

    /// The seed the running check draws from.
    public static var current: UInt64 { active ?? seeds[0] }

    /// Whether every check runs under several seeds (then failure messages name their seed).
    public static var isMultiSeed: Bool { seeds.count > 1 }

    /// A generator for one purpose of one check: the same run seed and purpose give the same
    /// numbers, different purposes give independent ones.
    /// - Parameter purpose: what the numbers are for, e.g. "DotProduct.randomVectors".
    public static func generator(_ purpose: String) -> SeededGenerator {
        SeededGenerator(seed: mix(current, purpose))
    }

    /// A fresh seed for a function that takes one (a dataset, a shuffle), drawn like `generator`.
    public static func seed(_ purpose: String) -> UInt64 {
        mix(current, purpose + "#seed") % 1_000_000_007
    }

    /// Runs `body` once per seed of the run, each time with that seed active.
    static func forEachSeed(_ body: () async throws -> Void) async rethrows {
        for seed in seeds {
            try await $active.withValue(seed) { try await body() }
        }
    }

    /// A note to append to failure messages: the seed, when several are being tried.
    static var messageSuffix: String { isMultiSeed ? " [seed \(current)]" : "" }

    /// FNV-1a over the purpose's bytes, mixed with the seed through SplitMix64's finaliser:
    /// stable across platforms and Swift versions (unlike `Hasher`).
    static func mix(_ seed: UInt64, _ purpose: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in purpose.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        var z = h ^ (seed &* 0x9e37_79b9_7f4a_7c15)
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
