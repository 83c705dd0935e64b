import Foundation

/// How long each check may run, and how much memory.
///
/// Time: a check may take 20 times what it takes on the reference solution, and at least 2 s,
/// but never more than the lesson's limit (`timeLimitSeconds`, 30 s by default), per seed: under
/// several seeds the check runs once per seed and the limits add up; `--time-limit` overrides all
/// of this. The reference times are in `Graders/NN-name/timings.json` (seconds per
/// seed, by check), written by `course verify NN --record-timings`; a check without one gets the
/// lesson's limit. So a loop in student code costs seconds, not the lesson's whole limit.
///
/// Memory: a check's test process may hold `memoryLimit` bytes (2 GiB by default, the lesson's
/// `memoryLimitGiB`, or `--memory-limit`). The runner watches its resident memory and stops it
/// there; the address space is also capped a little above, so that one huge allocation fails at
/// once instead of taking the machine's memory.
public struct CheckLimits: Sendable {
    /// The factor over the reference time, and the floor.
    public static let factor = 20.0
    public static let minimum = 2.0
    /// After a check timed out in a student function, later checks running this long are sampled
    /// and skipped when they are in that same function.
    public static let probeAfter = 0.5
    /// Memory when nothing else says: 2 GiB.
    public static let defaultMemory: UInt64 = 2 << 30

    /// The reference seconds (one seed) by check key (`CheckLimits.key`).
    public var references: [String: Double] = [:]
    /// `--time-limit`, which replaces every per-check limit.
    public var timeOverride: Double?
    /// `--memory-limit` in bytes, which replaces the lessons' own.
    public var memoryOverride: UInt64?

    public init(lessons: [Lesson], toolkit: Toolkit, timeOverride: Double? = nil, memoryOverride: UInt64? = nil) {
        self.timeOverride = timeOverride
        self.memoryOverride = memoryOverride
        for lesson in lessons {
            references.merge(Self.load(lesson, toolkit: toolkit)) { $1 }
        }
    }

    /// The key of a check in `timings.json`: its Swift Testing id without the source location
    /// (`WarmUpGraders.DotProductGrader/smallVectors()`), so that editing a grader elsewhere
    /// keeps the recorded times.
    public static func key(_ id: String) -> String {
        id.split(separator: "/").prefix(2).joined(separator: "/")
    }

    /// Seconds the check `id` of `lesson` may run when graded under `seeds` seeds: per seed, 20×
    /// its reference time (at least `minimum`), at most the lesson's limit; the check runs once
    /// per seed, so the limits add up (`course verify --seeds 100` gives a slow check 100 of them).
    public func time(for id: String, lesson: Lesson?, seeds: Int) -> Double {
        if let timeOverride { return timeOverride }
        let lessonLimit = lesson?.timeLimitSeconds ?? 30
        let runs = Double(max(1, seeds))
        guard let reference = references[Self.key(id)] else { return lessonLimit * runs }
        return min(lessonLimit, max(Self.minimum, Self.factor * reference)) * runs
    }

    /// Bytes the test process of `lessons` may hold.
    public func memory(for lessons: [Lesson]) -> UInt64 {
        memoryOverride ?? lessons.compactMap(\.memoryLimitBytes).max() ?? Self.defaultMemory
    }

    /// The address-space cap for a memory limit: room for the runtime's reservations (thread
    /// stacks, the backtracer) above what the process may really use.
    public static func addressSpace(for memory: UInt64) -> UInt64 { memory + (2 << 30) }

    /// "2 GiB", "512 MiB".
    public static func describe(_ bytes: UInt64) -> String {
        bytes >= 1 << 30 && bytes % (1 << 28) == 0 ? formatNumber(Double(bytes) / Double(1 << 30)) + " GiB"
            : formatNumber(Double(bytes) / Double(1 << 20)) + " MiB"
    }

    /// Parses `--memory-limit`: a number of GiB ("2", "1.5"), or with a unit ("512M", "2G").
    public static func parseMemory(_ text: String) throws -> UInt64 {
        var number = text.trimmingCharacters(in: .whitespaces).uppercased()
        var unit = Double(1 << 30)
        if number.hasSuffix("IB") { number.removeLast(2) } else if number.hasSuffix("B") { number.removeLast() }
        if number.hasSuffix("M") { unit = Double(1 << 20); number.removeLast() } else if number.hasSuffix("G") { number.removeLast() }
        guard let value = Double(number), value > 0, value * unit >= Double(64 << 20) else {
            throw CourseError("--memory-limit takes an amount of memory of at least 64M, e.g. 2 (GiB), 1.5G or 512M; got '\(text)'.")
        }
        return UInt64(value * unit)
    }

    // MARK: Reference times

    static func file(_ lesson: Lesson, toolkit: Toolkit) -> URL {
        toolkit.graders(lesson).appendingPathComponent("timings.json")
    }

    static func load(_ lesson: Lesson, toolkit: Toolkit) -> [String: Double] {
        guard let data = try? Data(contentsOf: file(lesson, toolkit: toolkit)),
              let times = try? JSONDecoder().decode([String: Double].self, from: data) else { return [:] }
        return times
    }

    /// Writes the reference times of `lesson`'s checks, measured on its reference solution.
    public static func record(_ results: [CheckResult], seeds: Int, lesson: Lesson, toolkit: Toolkit) throws {
        var times: [String: Double] = [:]
        for check in results { if let d = check.duration { times[key(check.id)] = (d / Double(max(1, seeds)) * 1000).rounded(.up) / 1000 } }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try (encoder.encode(times) + Data("\n".utf8)).write(to: file(lesson, toolkit: toolkit))
    }
}

private func formatNumber(_ v: Double) -> String {
    v == v.rounded() ? String(Int(v)) : String(format: "%.1f", v)
}

/// The resident memory of a process in bytes (Linux: /proc/PID/statm), nil elsewhere or when gone.
func residentMemory(of pid: pid_t) -> UInt64? {
    #if os(Linux)
    guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/statm") else { return nil }
    let fields = String(decoding: data, as: UTF8.self).split(separator: " ")
    guard fields.count > 1, let pages = UInt64(fields[1]) else { return nil }
    return pages * UInt64(sysconf(Int32(_SC_PAGESIZE)))
    #else
    return nil
    #endif
}
