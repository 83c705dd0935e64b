import Foundation

/// The `--name value` options that `course run NN` passes to a lesson's experiment (every option
/// of the lesson's `lesson.json`, plus `--output DIR`), read once:
///
///     let options = ExperimentOptions(lesson: "03")
///     let epochs: Int = options.value("epochs", 3)
///
/// A malformed command line or a value of the wrong type ends the program with a message naming
/// the option and what was expected, never a stack trace.
public struct ExperimentOptions: Sendable {
    /// The lesson's number, e.g. "03", for messages.
    public let lesson: String
    /// The values by option name (without the leading `--`).
    public let values: [String: String]

    /// Reads `arguments` (the command line without the program's name by default).
    public init(lesson: String, arguments: [String] = Array(CommandLine.arguments.dropFirst())) {
        self.lesson = lesson
        var values: [String: String] = [:]
        var rest = arguments[...]
        while let name = rest.popFirst() {
            guard name.hasPrefix("--"), let value = rest.popFirst() else {
                ExperimentOptions.exit(lesson, "expected `--name value` pairs, got \(name)")
            }
            values[String(name.dropFirst(2))] = value
        }
        self.values = values
    }

    /// The option's value, or `fallback` when it was not given.
    public func value<T: LosslessStringConvertible>(_ name: String, _ fallback: T) -> T {
        guard let text = values[name] else { return fallback }
        guard let value = T(text) else {
            fail("--\(name) \(text) is not a valid value (the default is \(fallback))")
        }
        return value
    }

    /// The folder for the experiment's figures: `--output DIR` (what `course run` passes), else
    /// runs/NN when the experiment is run directly.
    public var output: URL { URL(fileURLWithPath: values["output"] ?? "runs/\(lesson)") }

    /// Writes a figure into `output` (created if missing) and prints where, or why it could not:
    /// a figure that cannot be written never stops the experiment.
    public func save(_ document: SVGDocument, _ name: String) {
        let file = output.appendingPathComponent(name)
        do {
            try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
            try document.write(to: file)
            print("  wrote \(file.path)")
        } catch {
            print("  could not write \(file.path): \(error)")
        }
    }

    /// Ends the experiment with `message` on standard error and exit status 2.
    public func fail(_ message: String) -> Never { ExperimentOptions.exit(lesson, message) }

    private static func exit(_ lesson: String, _ message: String) -> Never {
        FileHandle.standardError.write(Data("experiment \(lesson): \(message)\n".utf8))
        Foundation.exit(2)
    }
}
