import Foundation

/// Which planted bug is switched on, when `course verify` compiles all of a lesson's mutants into
/// one build (mutant schemata): a mutated function body is guarded by
/// `if MutantSchema.active == k { … }`, and each run of the graders switches one on with the
/// environment variable `COURSE_ACTIVE_MUTANT=k`. Unset (every student build), it is −1 and no
/// guarded body runs.
public enum MutantSchema {
    /// The environment variable naming the active mutant.
    public static let environmentKey = "COURSE_ACTIVE_MUTANT"
    /// The active mutant's number, or −1.
    public static let active: Int = ProcessInfo.processInfo.environment[environmentKey].flatMap { Int($0) } ?? -1
}
