import Foundation

/// The text `course grade` prints: per lesson each check with ✔/✘ and points, why failed checks
/// failed, and a total.
public enum GradeReport {
    /// - Parameters:
    ///   - columns: the terminal's width; titles longer than fits are wrapped, never cut.
    ///   - verbose: every message of a failed check, not only the first four.
    public static func render(_ result: LessonResult, lesson: Lesson, columns: Int = Terminal.width,
                              verbose: Bool = false) -> String {
        var lines = [Terminal.bold("\(lesson.id) · \(lesson.title)")]
        if let errors = result.buildErrors {
            lines.append("  " + Terminal.red("✘ could not be built") + " — fix the compiler's errors first:")
            for error in errors.prefix(12) {
                lines += error.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
            }
            if errors.count > 12 { lines.append("    … and \(errors.count - 12) more") }
            return lines.joined(separator: "\n")
        }
        // "  ✔ " before the title, " 12/12" after it.
        let width = max(20, min(columns - 12, (result.checks.map(\.title.count).max() ?? 20) + 2))
        for check in result.checks {
            let mark: String
            switch check.status {
            case .passed: mark = Terminal.green("✔")
            case .notImplemented: mark = Terminal.yellow("…")
            default: mark = Terminal.red("✘")
            }
            let titleLines = wrap(check.title, width: width)
            lines.append("  \(mark) \(titleLines[0].padding(toLength: width, withPad: " ", startingAt: 0)) \(check.earned)/\(check.points)")
            for more in titleLines.dropFirst() { lines.append("    " + more) }
            if !check.passed {
                for message in check.messages.prefix(verbose ? Int.max : 4) {
                    for (i, part) in message.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                        lines.append((i == 0 ? "      " : "        ") + Terminal.dim(String(part)))
                    }
                }
            }
        }
        if let warnings = result.warnings, !warnings.isEmpty {
            lines.append("  " + Terminal.yellow("⚠ the compiler warns about your code:"))
            for warning in warnings.prefix(verbose ? Int.max : 6) {
                lines += warning.split(separator: "\n", omittingEmptySubsequences: false).map { "    " + $0 }
            }
            if !verbose && warnings.count > 6 { lines.append("    … and \(warnings.count - 6) more (`--verbose` shows all)") }
        }
        let passed = result.checks.filter(\.passed).count
        lines.append("  " + Terminal.bold("\(result.earned)/\(result.possible) points") + " · \(passed) of \(result.checks.count) checks pass")
        if let seed = result.seed {
            lines.append("  " + Terminal.dim("seed \(seed) — the checks drew fresh inputs from it; `course grade \(lesson.id) --seed \(seed)` repeats this run"))
        }
        return lines.joined(separator: "\n")
    }

    /// `text` cut into lines of at most `width` characters, at spaces where possible.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            var word = String(word)
            while word.count > width {            // a word longer than a line is cut
                if !current.isEmpty { lines.append(current); current = "" }
                lines.append(String(word.prefix(width)))
                word = String(word.dropFirst(width))
            }
            if current.isEmpty { current = word }
            else if current.count + 1 + word.count <= width { current += " " + word }
            else { lines.append(current); current = word }
        }
        lines.append(current)
        return lines
    }
}
