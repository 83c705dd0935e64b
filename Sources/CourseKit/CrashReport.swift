import Foundation

/// What a crashed test process said, reduced to what a student can act on:
/// `crashed: Precondition failed: dot: the vectors have 4 and 3 entries; they must have the same
/// length — Metrics.swift:31 (trapped in dot, DotProduct.swift:11)`.
///
/// The Swift runtime prints the reason (`Module/File.swift:11: Precondition failed: …`, possibly
/// over several lines) and, with the backtracer on, the stack with file and line for each frame.
/// The location shown is the student's own frame: the innermost frame in a lesson file, except a
/// `precondition` (or `fatalError`, `assert`) line that the lesson provides, which is the toolkit
/// checking its input: then the student's frame that called it. The toolkit frame where it trapped
/// (NeuralKit, or that provided line) follows in parentheses.
struct CrashReport {
    let output: String
    let harness: Harness
    /// How the process ended (128 + n for a signal n), if known.
    var status: Int32? = nil

    init(output: String, harness: Harness, status: Int32? = nil) {
        self.output = output
        self.harness = harness
        self.status = status
    }

    /// The report in the test process's output file: its last megabyte (a loop that printed may
    /// have made the file large; the runtime's report is at its end).
    init(outputFile: URL, harness: Harness, status: Int32?) {
        var text = ""
        if let handle = try? FileHandle(forReadingFrom: outputFile) {
            let size = (try? handle.seekToEnd()) ?? 0
            try? handle.seek(toOffset: size > 1 << 20 ? size - (1 << 20) : 0)
            text = String(decoding: (try? handle.readToEnd()) ?? Data(), as: UTF8.self)
            try? handle.close()
        }
        self.init(output: text, harness: harness, status: status)
    }

    /// The longest message kept, in lines and in characters.
    static let messageLineLimit = 20
    static let messageCharacterLimit = 2_000

    var summary: String {
        var lines = reason.components(separatedBy: "\n")
        if let place = location { lines[0] += " — \(place)" }
        return "crashed: " + lines.joined(separator: "\n")
    }

    /// The student's line and the toolkit's frame where it trapped, e.g.
    /// `Training.swift:31 (trapped in TwoLayerNetwork.forward, Network.swift:133)`.
    var location: String? {
        let frames = StackFrames(output: output, harness: harness)
        let student = frames.student.map(\.place) ?? messageLocation
        let toolkit = frames.toolkit.map { "trapped in \($0.function), \($0.place)" }
        switch (student, toolkit) {
        case let (student?, toolkit?): return "\(student) (\(toolkit))"
        case let (student?, nil): return student
        case let (nil, toolkit?): return toolkit
        default: return nil
        }
    }

    /// `File.swift:42` of the student's frame, if the stack names one.
    var studentFrame: String? { StackFrames(output: output, harness: harness).student?.place ?? messageLocation }

    private static let kinds = ["Fatal error", "Precondition failed", "Assertion failed"]

    /// The runtime's message, whole (several lines if it has them, bounded): the fatal error,
    /// precondition or assertion failure, a runtime failure, or the signal.
    var reason: String {
        let lines = output.components(separatedBy: "\n")
        // The backtracer's report starts here; the runtime's message is just before it.
        let header = lines.firstIndex { Self.isReportLine($0) } ?? lines.count
        let failure = lines.first { $0.hasPrefix("*** Swift runtime failure: ") }
        if failure == nil, let start = lines[..<header].lastIndex(where: { $0.range(of: Self.messagePattern, options: .regularExpression) != nil }) {
            let first = lines[start]
            let kindStart = Self.kinds.compactMap { first.range(of: ": \($0)")?.lowerBound }.min()!
            var message = [String(first[first.index(kindStart, offsetBy: 2)...])]
            for line in lines[(start + 1)..<header] {
                if Self.isTestingLine(line) { break }
                message.append(line)
            }
            while message.count > 1, message.last!.trimmingCharacters(in: .whitespaces).isEmpty { message.removeLast() }
            return Self.bounded(message)
        }
        if let line = failure ?? lines.first(where: { $0.contains("Swift runtime failure: ") }),
           let range = line.range(of: "Swift runtime failure: ") {
            let rest = line[range.upperBound...].replacingOccurrences(of: " ***", with: "")
            return "Swift runtime failure: " + (rest.components(separatedBy: " in ").first ?? rest)
        }
        if let line = lines.first(where: { $0.contains("Program crashed: ") }),
           let range = line.range(of: "Program crashed: ") {
            return line[range.upperBound...].replacingOccurrences(of: " ***", with: "")
                .components(separatedBy: " at ").first ?? "the program crashed"
        }
        return signalDescription ?? "the test process stopped unexpectedly"
    }

    /// What the exit status says when the runtime printed nothing (a stack overflow leaves no
    /// report: the backtracer has no stack to run on).
    private var signalDescription: String? {
        guard let status, status > 128 else { return nil }
        switch status - 128 {
        case SIGSEGV: return "segmentation fault (signal \(SIGSEGV)), without a report from the runtime — does a function call itself without end?"
        case SIGBUS: return "bus error (signal \(SIGBUS))"
        case SIGKILL: return "killed (signal \(SIGKILL)) — by the system when memory ran out?"
        case SIGABRT: return "aborted (signal \(SIGABRT))"
        case SIGILL, SIGTRAP: return "trapped (signal \(status - 128)), without a message"
        default: return "stopped by signal \(status - 128)"
        }
    }

    /// The runtime's way of starting a message: `Swift/ContiguousArrayBuffer.swift:692: Fatal error`.
    private static let messagePattern = #"\S+:\d+: (Fatal error|Precondition failed|Assertion failed)"#

    /// Without the backtracer, a message from student code still names its file:
    /// `WarmUp/Metrics.swift:15: Assertion failed: …`.
    private var messageLocation: String? {
        for line in output.split(separator: "\n") {
            guard let kind = Self.kinds.first(where: { line.contains(": \($0)") }) else { continue }
            let head = line.components(separatedBy: ": \(kind)").first ?? ""
            let parts = head.split(separator: ":")
            if parts.count == 2, let file = parts[0].split(separator: "/").last,
               harness.workspace.isLessonFile(String(file)) {
                return "\(file):\(parts[1])"
            }
        }
        return nil
    }

    private static func isReportLine(_ line: String) -> Bool {
        line.hasPrefix("*** ") || line.hasPrefix("💣 ") || line.hasPrefix("Current stack trace:")
    }

    /// Swift Testing's own progress lines, which end a message if no backtrace follows it.
    private static func isTestingLine(_ line: String) -> Bool {
        ["◇ ", "✔ ", "✘ ", "↳ ", "􀟈 ", "􁁛 ", "􀢄 "].contains { line.hasPrefix($0) }
    }

    private static func bounded(_ lines: [String]) -> String {
        let whole = lines.joined(separator: "\n")
        var kept = lines.prefix(messageLineLimit).joined(separator: "\n")
        if kept.count > messageCharacterLimit { kept = String(kept.prefix(messageCharacterLimit)) }
        return kept.count < whole.count ? kept + " …" : kept
    }
}

/// The frames of the crashed thread in a Swift backtrace, innermost first, and which of them are
/// the student's and the toolkit's.
///
/// A frame line reads `  3 [ra] [inlined] 0x000055b5895a0c4d dot(_:_:) + 108 in Image at /path/File.swift:16:33`.
struct StackFrames {
    struct Frame {
        let function: String
        let path: String?
        let line: Int?
        let inlined: Bool

        var file: String? { path.map { URL(fileURLWithPath: $0).lastPathComponent } }
        /// `File.swift:42`, or `File.swift (function)` where the instruction has no line of its own.
        var place: String {
            guard let file else { return function }
            guard let line, line > 0 else { return "\(file) (\(function))" }
            return "\(file):\(line)"
        }
    }

    let frames: [Frame]
    /// The innermost frame in the student's lesson files (skipping a provided precondition line
    /// called from the student's code).
    let student: Frame?
    /// The innermost frame of the toolkit inside the student's frame: NeuralKit, or the provided
    /// precondition line.
    let toolkit: Frame?

    init(output: String, harness: Harness) {
        let frames = Self.parse(output)
        self.frames = frames
        let lessons = [harness.root.appendingPathComponent("Lessons").path + "/",
                       harness.root.resolvingSymlinksInPath().appendingPathComponent("Lessons").path + "/"]
        let sources = [harness.toolkit.root.appendingPathComponent("Sources").path + "/",
                       harness.toolkit.root.resolvingSymlinksInPath().appendingPathComponent("Sources").path + "/"]
        func inLessons(_ frame: Frame) -> Bool { frame.path.map { p in lessons.contains { p.hasPrefix($0) } } ?? false }
        func inToolkit(_ frame: Frame) -> Bool { frame.path.map { p in sources.contains { p.hasPrefix($0) } } ?? false }

        let lessonFrames = frames.indices.filter { inLessons(frames[$0]) }
        var studentIndex = lessonFrames.first
        var provided: Frame? = nil
        if let first = studentIndex, let outer = lessonFrames.dropFirst().first,
           Self.isProvidedCheck(frames[first], lessons: lessons, harness: harness) {
            provided = frames[first]
            studentIndex = outer
        }
        student = studentIndex.map { frames[$0] }
        // NeuralKit's frames inside the student's (or anywhere, if there is no student frame):
        // the innermost that is a function of its own rather than code inlined into one.
        let inner = frames[..<(studentIndex ?? frames.count)].filter(inToolkit)
        let kit = inner.first { !$0.inlined } ?? inner.first
        toolkit = kit ?? provided
    }

    /// Parses the frames of the crashed thread (the first thread listed; any frame lines if the
    /// report names no thread).
    static func parse(_ output: String) -> [Frame] {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        guard lines.contains(where: { $0.hasPrefix("Thread ") && $0.hasSuffix(" crashed:") }) else {
            return lines.compactMap(parseFrame)
        }
        var frames: [Frame] = []
        var inThread = false
        for line in lines {
            if !inThread {
                if line.hasPrefix("Thread "), line.hasSuffix(" crashed:") { inThread = true }
                continue
            }
            if line.isEmpty || line == "..." { if frames.isEmpty { continue } else { break } }
            guard let frame = parseFrame(line) else { if frames.isEmpty { continue } else { break } }
            frames.append(frame)
        }
        return frames
    }

    /// One frame line, without its leading spaces.
    static func parseFrame(_ line: String) -> Frame? {
        var words = line.split(separator: " ", omittingEmptySubsequences: true)[...]
        guard let index = words.first, Int(index) != nil else { return nil }
        words = words.dropFirst()
        var inlined = false
        while let word = words.first, word.hasPrefix("[") {
            if word == "[inlined]" { inlined = true }
            words = words.dropFirst()
        }
        guard let address = words.first, address.hasPrefix("0x") else { return nil }
        var rest = words.dropFirst().joined(separator: " ")
        var path: String? = nil
        var lineNumber: Int? = nil
        if let at = rest.range(of: " at /", options: .backwards) {
            let location = rest[rest.index(after: at.lowerBound)...].dropFirst(3)   // "/path/File.swift:16:33"
            let parts = location.split(separator: ":")
            if parts.count >= 2, let number = Int(parts[1]) {
                path = String(parts[0]); lineNumber = number
            } else {
                path = String(parts.first ?? location)
            }
            rest = String(rest[..<at.lowerBound])
        }
        if let inImage = rest.range(of: " in ", options: .backwards) { rest = String(rest[..<inImage.lowerBound]) }
        if let offset = rest.range(of: #" \+ \d+$"#, options: .regularExpression) { rest = String(rest[..<offset.lowerBound]) }
        return Frame(function: shortName(rest), path: path, line: lineNumber, inlined: inlined)
    }

    /// `TwoLayerNetwork.forward(_:)` → `TwoLayerNetwork.forward`; `specialized f<A>(_:)` → `f`.
    static func shortName(_ symbol: String) -> String {
        var name = symbol
        if name.hasPrefix("specialized ") { name.removeFirst("specialized ".count) }
        if let cut = name.firstIndex(where: { $0 == "(" || $0 == "<" }) { name = String(name[..<cut]) }
        return name.isEmpty ? symbol : name
    }

    private static let checks = ["precondition(", "preconditionFailure(", "fatalError(", "assert(", "assertionFailure("]

    /// Whether `frame` stopped on a check (`precondition(…)` and the like) that the lesson's stub
    /// provides, rather than one the student wrote: its line is word for word in the stub.
    static func isProvidedCheck(_ frame: Frame, lessons: [String], harness: Harness) -> Bool {
        guard let path = frame.path, let number = frame.line, number >= 1,
              let prefix = lessons.first(where: { path.hasPrefix($0) }) else { return false }
        let relative = path.dropFirst(prefix.count).split(separator: "/")      // ["00-warmup", "Metrics.swift"]
        guard relative.count == 2,
              let lesson = harness.toolkit.lessons.first(where: { $0.slug == relative[0] }),
              let source = try? String(contentsOfFile: path, encoding: .utf8),
              let stub = try? String(contentsOf: harness.toolkit.stub(lesson, String(relative[1])), encoding: .utf8)
        else { return false }
        let lines = source.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        let provided = Set(stub.components(separatedBy: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
        guard number <= lines.count else { return false }
        // The frame may name a later line of a check written over several (its message).
        for start in stride(from: number - 1, through: max(number - 6, 0), by: -1) {
            guard provided.contains(lines[start]) else { return false }
            if checks.contains(where: { lines[start].hasPrefix($0) }) { return true }
        }
        return false
    }
}
