import Foundation

/// What a crashed test process said, reduced to one line a student can act on:
/// `crashed: Fatal error: Index out of range — DotProduct.swift:14`.
///
/// The Swift runtime prints the reason (`…: Fatal error: Index out of range`) and, with the
/// backtracer on, the stack with file and line for each frame; the first frame in the student's
/// own files tells where their code was when it stopped.
struct CrashReport {
    let output: String
    let harness: Harness

    var summary: String {
        var text = "crashed: \(reason)"
        if let place = studentFrame { text += " — \(place)" }
        return text
    }

    /// The runtime's message: the fatal error, a runtime failure, or the signal.
    var reason: String {
        let lines = output.split(separator: "\n").map(String.init)
        if let line = lines.first(where: { $0.contains("Fatal error") }),
           let range = line.range(of: "Fatal error") {
            return String(line[range.lowerBound...]).trimmingCharacters(in: .whitespaces)
        }
        if let line = lines.first(where: { $0.contains("Swift runtime failure: ") }),
           let range = line.range(of: "Swift runtime failure: ") {
            let rest = line[range.upperBound...]
            return "runtime failure: " + (rest.split(separator: " in ").first.map(String.init) ?? String(rest))
        }
        if let line = lines.first(where: { $0.contains("Program crashed: ") }),
           let range = line.range(of: "Program crashed: ") {
            return line[range.upperBound...].replacingOccurrences(of: " ***", with: "")
                .split(separator: " at ").first.map(String.init) ?? "the program crashed"
        }
        return "the test process stopped unexpectedly"
    }

    /// `File.swift:42` of the innermost frame in the student's lesson files, if any.
    var studentFrame: String? {
        let lessons = harness.root.appendingPathComponent("Lessons").path + "/"
        for line in output.split(separator: "\n") {
            guard let range = line.range(of: " at " + lessons) else { continue }
            let location = line[range.upperBound...]            // "01-neuron/Neuron.swift:42:13"
            let parts = location.split(separator: ":")
            guard parts.count >= 2, let file = parts[0].split(separator: "/").last else { continue }
            return "\(file):\(parts[1])"
        }
        // Without the backtracer, a fatalError in student code still names its file.
        for line in output.split(separator: "\n") where line.contains("Fatal error") {
            let head = line.components(separatedBy: ": Fatal error").first ?? ""
            let parts = head.split(separator: ":")
            if parts.count == 2, let file = parts[0].split(separator: "/").last,
               harness.workspace.isLessonFile(String(file)) {
                return "\(file):\(parts[1])"
            }
        }
        return nil
    }
}
