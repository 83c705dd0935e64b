import Foundation

/// The text `course grade` prints: per lesson each check with ✔/✘ and points, why failed checks
/// failed, and a total.
public enum GradeReport {
    public static func render(_ result: LessonResult, lesson: Lesson) -> String {
        var lines = [Terminal.bold("\(lesson.id) · \(lesson.title)")]
        if let errors = result.buildErrors {
            lines.append("  " + Terminal.red("✘ could not be built") + " — fix the compiler's errors first:")
            for error in errors.prefix(12) { lines.append("    " + error) }
            if errors.count > 12 { lines.append("    … and \(errors.count - 12) more") }
            return lines.joined(separator: "\n")
        }
        let width = min(60, (result.checks.map(\.title.count).max() ?? 20) + 2)
        for check in result.checks {
            let mark: String
            switch check.status {
            case .passed: mark = Terminal.green("✔")
            case .notImplemented: mark = Terminal.yellow("…")
            default: mark = Terminal.red("✘")
            }
            let title = check.title.count > width ? String(check.title.prefix(width - 1)) + "…" : check.title
            lines.append("  \(mark) \(title.padding(toLength: width, withPad: " ", startingAt: 0)) \(check.earned)/\(check.points)")
            if !check.passed {
                for message in check.messages.prefix(4) {
                    for (i, part) in message.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                        lines.append((i == 0 ? "      " : "        ") + Terminal.dim(String(part)))
                    }
                }
            }
        }
        let passed = result.checks.filter(\.passed).count
        lines.append("  " + Terminal.bold("\(result.earned)/\(result.possible) points") + " · \(passed) of \(result.checks.count) checks pass")
        if let seed = result.seed {
            lines.append("  " + Terminal.dim("seed \(seed) — the checks drew fresh inputs from it; `course grade \(lesson.id) --seed \(seed)` repeats this run"))
        }
        return lines.joined(separator: "\n")
    }
}
