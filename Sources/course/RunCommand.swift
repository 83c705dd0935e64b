import CourseKit
import Foundation

enum RunCommand: Command {
    static let name = "run"
    static let summary = "run a lesson's experiment with your code (training, plots)"
    static let positionalCount = 1...1
    static let help = """
        usage: course run LESSON [--option value …]

        Builds your code for the lesson and runs its experiment: training with progress output,
        figures written as SVG files (open them in a browser). The options are the lesson's knobs;
        `course run LESSON --help` lists them with their defaults.
        """

    static func parse(_ raw: [String]) throws -> Arguments {
        let arguments = try Arguments(raw, command: name, acceptAnyOption: true)
        try arguments.expectPositionalCount(positionalCount, command: name)
        return arguments
    }

    static func run(_ arguments: Arguments) throws -> Int32 {
        guard let name = arguments.positional.first else {
            throw CourseError("name a lesson, e.g. `course run 01`.")
        }
        let workspace = try Context.workspace()
        let lesson = try workspace.toolkit.lesson(named: name)
        guard let experiment = lesson.experiment else {
            say("Lesson \(lesson.id) has no experiment to run; `course grade \(lesson.id)` checks your code.")
            return 0
        }
        let known = Set(experiment.options.map(\.name)).union(["output"])
        for option in arguments.options.keys.sorted() + arguments.flags.sorted() where !known.contains(option) {
            throw CourseError("lesson \(lesson.id)'s experiment has no option --\(option). Its options: \(experiment.options.map { "--\($0.name)" }.joined(separator: ", ")).")
        }
        // Every knob takes a value: `--steps` alone would silently run the default.
        for option in arguments.flags.sorted() where known.contains(option) {
            let example = experiment.options.first { $0.name == option }?.default ?? "DIR"
            throw CourseError("--\(option) needs a value, e.g. `course run \(lesson.id) --\(option) \(example)`. `course run \(lesson.id) --help` lists the options.")
        }
        let harness = Harness(workspace: workspace)
        say(Terminal.dim("Building lesson \(lesson.id) with your code…"))
        let log = workspace.stateFolder.appendingPathComponent("build.log")
        let (built, errors) = try harness.build([lesson], log: log) { say(Terminal.yellow($0)) }
        guard !built.isEmpty else {
            say(Terminal.red("Lesson \(lesson.id) does not build:"))
            for line in errors[lesson.id] ?? [] { say("  " + line) }
            return 1
        }
        let output = arguments.options["output"] ?? workspace.root.appendingPathComponent("runs/\(lesson.slug)").path
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        var forwarded = ["--output", output]
        for option in experiment.options {
            forwarded += ["--\(option.name)", arguments.options[option.name] ?? option.default]
        }
        say(Terminal.dim("Running the experiment of lesson \(lesson.id)…\n"))
        return try ChildProcess.run("swift", ["run", "--package-path", harness.root.path, "--skip-build",
                                              lesson.experimentProduct] + forwarded)
    }

    static func help(for arguments: [String]) -> String {
        guard let name = arguments.first(where: { !$0.hasPrefix("-") }),
              let lesson = try? Context.toolkit().lesson(named: name) else { return help }
        return help + "\n\n" + helpFor(lesson)
    }

    static func helpFor(_ lesson: Lesson) -> String {
        guard let experiment = lesson.experiment else { return "Lesson \(lesson.id) has no experiment." }
        var text = "course run \(lesson.id): \(experiment.summary)\n\noptions:\n"
        for option in experiment.options {
            text += "  --\(option.name.padding(toLength: 16, withPad: " ", startingAt: 0)) \(option.help) (default \(option.default))\n"
        }
        text += "  --\("output DIR".padding(toLength: 16, withPad: " ", startingAt: 0)) where figures go (default runs/\(lesson.slug))\n"
        return text
    }
}
