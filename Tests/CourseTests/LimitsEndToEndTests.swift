import Foundation
import Testing

/// Limits that keep a grade short and the machine safe: memory per check, and a loop costing one
/// time limit rather than one per check that calls the looping function.
extension CLIEndToEnd {
@Suite struct LimitsEndToEndTests {
    @Test func aMemoryHungryCheckIsStoppedAndNamedWhileTheOthersPass() throws {
        try SharedWorkspace.install(stub: false)
        try SharedWorkspace.edit("Metrics.swift", replacing: "let correct = zip(",
                                 with: "var hog: [[Int]] = []\n    while hog.count >= 0 { hog.append(Array(repeating: hog.count, count: 4_000_000)) }\n    let correct = zip(")
        let result = try SharedWorkspace.course("grade", "00", "--memory-limit", "512M", "--time-limit", "60")
        #expect(result.status == 1)
        #expect(result.output.contains("used more than 512 MiB of memory in Metrics.swift:"), "\(result.output)")
        #expect(result.output.contains("is something growing without end?"), "\(result.output)")
        #expect(result.output.contains("13 of 14 checks pass"), "\(result.output)")
    }

    @Test func aLoopInAnEarlyFunctionCostsOneTimeLimitNotOnePerCheck() throws {
        // Lesson 01's reference solution, with σ looping: nearly every later check calls σ.
        let lesson = SharedWorkspace.root.appendingPathComponent("Lessons/01-neuron")
        let solutions = CourseCLI.toolkit.appendingPathComponent("Solutions/01-neuron")
        for name in try FileManager.default.contentsOfDirectory(atPath: solutions.path) where name.hasSuffix(".swift") {
            try? FileManager.default.removeItem(at: lesson.appendingPathComponent(name))
            try FileManager.default.copyItem(at: solutions.appendingPathComponent(name), to: lesson.appendingPathComponent(name))
        }
        let sigmoid = lesson.appendingPathComponent("Sigmoid.swift")
        let text = try String(contentsOf: sigmoid, encoding: .utf8)
        #expect(text.contains("    return z.map { v in"))
        try text.replacingOccurrences(of: "    return z.map { v in", with: "    var spins = 0\n    while z.count > 0 { spins = (spins + 1) % 3 }\n    return z.map { v in")
            .write(to: sigmoid, atomically: true, encoding: .utf8)
        let result = try CourseCLI.run(["grade", "01"], in: SharedWorkspace.root)
        let timedOut = result.output.components(separatedBy: "timed out after").count - 1
        let skipped = result.output.components(separatedBy: "skipped: Sigmoid.swift:").count - 1
        #expect(timedOut == 1, "one check should time out, the others that call σ be skipped:\n\(result.output)")
        #expect(skipped >= 10, "\(result.output)")
        #expect(result.output.contains("did not finish"), "\(result.output)")
    }
}
}
