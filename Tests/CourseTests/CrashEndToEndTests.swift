import Foundation
import Testing

/// What a student sees when their code traps or loops, end to end with the real `course` binary
/// (in the shared workspace of the end-to-end tests, which each test sets back first).
extension CLIEndToEnd {
@Suite struct CrashEndToEndTests {
    @Test func aProvidedPreconditionShowsItsWholeMessageAndTheStudentsLineThatCalledIt() throws {
        try SharedWorkspace.install(stub: false)
        // `dot` is the student's own from the same lesson; its precondition is the stub's.
        try SharedWorkspace.edit("Metrics.swift", replacing: "let correct = zip(predictions, labels).filter { $0 == $1 }.count",
                                 with: "let correct = Int(dot(predictions.map { Float($0) }, labels.dropLast().map { Float($0) }))")
        let result = try SharedWorkspace.course("grade", "00")
        #expect(result.status == 1)
        #expect(result.output.contains("crashed: Precondition failed: dot: the vectors have 4 and 3 entries; they must have the same length"
                                       + " — Metrics.swift:31 (trapped in dot, DotProduct.swift:11)"), "\(result.output)")
        #expect(result.output.contains("13 of 14 checks pass"), "\(result.output)")
    }

    @Test func everyKindOfTrapShowsTheRuntimesMessageAndTheStudentsLine() throws {
        try SharedWorkspace.install(stub: false)
        try SharedWorkspace.edit("Logistic.swift", replacing: "return z.map { v in 1 / (1 + Foundation.exp(-v)) }",
                                 with: "let scale: Float? = z.count < 0 ? 1 : nil\n    return z.map { v in scale! / (1 + Foundation.exp(-v)) }")
        try SharedWorkspace.edit("MiniBatches.swift", replacing: "var generator = SeededGenerator(seed: seed)",
                                 with: "var generator = SeededGenerator(seed: seed)\n    var total = Int.max - 1\n    total += count")
        try SharedWorkspace.edit("Metrics.swift", replacing: "return Double(correct) / Double(labels.count)",
                                 with: "return Double(correct / (labels.count - labels.count))")
        try SharedWorkspace.edit("Metrics.swift", replacing: "return (predictions - targets).squared().mean()",
                                 with: "fatalError(\"not yet:\\nfirst the differences,\\nthen their squares\")")
        let result = try SharedWorkspace.course("grade", "00")
        #expect(result.status == 1)
        for expected in [
            "crashed: Fatal error: Unexpectedly found nil while unwrapping an Optional value — Logistic.swift:13",
            "crashed: Swift runtime failure: arithmetic overflow — MiniBatches.swift:22",
            "crashed: Fatal error: Division by zero — Metrics.swift:32",
            "crashed: Fatal error: not yet: — Metrics.swift:15\n        first the differences,\n        then their squares",
        ] {
            #expect(result.output.contains(expected), "\(expected)\n\(result.output)")
        }
        #expect(result.output.contains("5 of 14 checks pass"), "\(result.output)")
    }

    @Test func anEndlessLoopTimesOutNamingTheLineOfTheLoop() throws {
        try SharedWorkspace.install(stub: false)
        try SharedWorkspace.edit("Metrics.swift", replacing: "let correct = zip(", with: "while !labels.isEmpty { }\n    let correct = zip(")
        let result = try SharedWorkspace.course("grade", "00", "--time-limit", "2")
        #expect(result.status == 1)
        #if os(Linux)
        // The stuck thread's stack was sampled before the test process was stopped. The loop spends
        // nearly all its time in `isEmpty`; on a loaded machine the sampler may settle for a moment
        // there, and the student's frame is then named by its function instead of its line.
        #expect(result.output.contains("timed out after 2 s in Metrics.swift:31 — is there a loop that never ends?")
                || result.output.contains("timed out after 2 s in Metrics.swift (accuracy) — is there a loop that never ends?"), "\(result.output)")
        #else
        #expect(result.output.contains("timed out after 2 s"), "\(result.output)")
        #endif
        #expect(result.output.contains("13 of 14 checks pass"), "\(result.output)")
    }

    @Test func aLoopInsideAnotherFunctionOfTheStudentIsFoundThroughTheCall() throws {
        // The loop calls a NeuralKit getter all the time (an optimised function without a frame of
        // its own); the student's line must still be found.
        try SharedWorkspace.install(stub: false)
        try SharedWorkspace.edit("Metrics.swift", replacing: "return (predictions - targets).squared().mean()",
                                 with: "var seen = 0\n    while seen < predictions.count { seen = seen % 2 }\n    return (predictions - targets).squared().mean()")
        let result = try SharedWorkspace.course("grade", "00", "--time-limit", "2")
        #if os(Linux)
        #expect(result.output.contains("timed out after 2 s in Metrics.swift:16 — is there a loop that never ends?"), "\(result.output)")
        #else
        #expect(result.output.contains("timed out after 2 s"), "\(result.output)")
        #endif
        #expect(result.output.contains("12 of 14 checks pass"), "\(result.output)")
    }
}
}
