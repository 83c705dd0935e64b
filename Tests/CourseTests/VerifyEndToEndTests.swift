import Foundation
import Testing

/// `course verify` over every lesson, as an instructor runs it: the stubs are in sync, every check
/// fails on the stubs and passes on the reference solutions, every mutant is caught and every
/// variant accepted. Running it here makes CI prove that for each lesson on every change. The
/// reference solutions are graded under 5 seeds here and the variants under one (3 by default),
/// which keeps the suite within its time budget with eight lessons, five of them training networks;
/// before committing new checks, run `course verify NN --seeds 100` (Lessons/README.md).
@Suite struct VerifyEndToEndTests {
    @Test func verifyHoldsForEveryLesson() throws {
        let result = try CourseCLI.run(["verify", "--seeds", "5", "--variant-seeds", "1"], in: FileManager.default.temporaryDirectory)
        let problems = result.output.split(separator: "\n").filter { $0.hasPrefix("✘") }
        #expect(result.status == 0, "course verify found problems:\n\(problems.joined(separator: "\n"))\n\n\(result.output)")
        #expect(result.output.contains("verify: everything holds."), "\(result.output)")
    }
}
