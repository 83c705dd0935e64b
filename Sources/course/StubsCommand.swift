import CourseKit
import Foundation

enum StubsCommand: Command {
    static let name = "stubs"
    static let summary = "maintainers: regenerate the lessons' stubs from the solutions"
    static let positionalCount = 0...0
    static let flagOptions: Set<String> = ["check"]
    static let help = """
        usage: course stubs [--check]

        For maintainers. The reference solution is the single source of each stub: the code
        between `// BEGIN SOLUTION` and `// END SOLUTION` in Solutions/ is replaced by the
        `// STUB:` lines that follow it. This writes every Lessons/NN-name/ stub from its solution.

        options:
          --check   write nothing; list the stubs that differ and exit 1 if any does
        """

    static func run(_ arguments: Arguments) throws -> Int32 {
        let toolkit = try Context.toolkit()
        guard toolkit.hasSolutions else {
            throw CourseError("this is a student kit: the reference solutions are not part of it, and the stubs are generated from them. Its stubs are final; regenerate them in the full toolkit (the checkout with Solutions/).")
        }
        if arguments.flags.contains("check") {
            let drifts = try StubGenerator.check(toolkit)
            if drifts.isEmpty { say("Every stub is in sync with its solution."); return 0 }
            for drift in drifts { say(Terminal.red("✘ ") + drift.description) }
            return 1
        }
        let changed = try StubGenerator.generate(toolkit)
        say(changed.isEmpty ? "Every stub was already in sync." : "Regenerated:\n" + changed.map { "  \($0)" }.joined(separator: "\n"))
        return 0
    }
}
