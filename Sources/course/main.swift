// course: the student's and the instructor's tool for the neural-network course.
// One file per subcommand; each carries its own help text.
import CourseKit
import Foundation

let commands: [any Command.Type] = [
    ListCommand.self, InitCommand.self, GradeCommand.self, StatusCommand.self, HintCommand.self,
    RunCommand.self, ResetCommand.self, RestoreCommand.self, WatchCommand.self, VerifyCommand.self, StubsCommand.self,
    SolutionCommand.self, ExportCommand.self,
]

@MainActor func overview() -> String {
    var text = """
        course — build neural networks yourself, in Swift, with instant feedback.

        usage: course [-C DIR] <command> [arguments]

        commands:

        """
    for command in commands {
        text += "  \(command.name.padding(toLength: 8, withPad: " ", startingAt: 0))  \(command.summary)\n"
    }
    text += """

        Start with `course init my-course`, then `cd my-course` and `course grade 00`.
        `course help <command>` or `course <command> --help` explains a command.
        `-C DIR` runs the command in DIR, e.g. `swift run course -C ~/my-course grade 00`.
        """
    return text
}

@MainActor func main() -> Int32 {
    var arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.first == ExecTrampoline.command { ExecTrampoline.run(Array(arguments.dropFirst())) }
    ChildProcess.launcher = InitCommand.executablePath
    ChildProcess.installTerminationHandlers()
    // `course -C DIR …` works in DIR, like `git -C` (so `swift run course -C ~/my-course grade 00`).
    while arguments.first == "-C" {
        guard arguments.count >= 2 else {
            Terminal.error("course: -C needs a folder, e.g. `course -C ~/my-course grade 00`.")
            return 2
        }
        guard FileManager.default.changeCurrentDirectoryPath(arguments[1]) else {
            Terminal.error("course: cannot work in \(arguments[1]): no such folder. Create a workspace there with `course init \(arguments[1])`.")
            return 2
        }
        arguments.removeFirst(2)
    }
    guard let first = arguments.first, !["--help", "-h", "help"].contains(first) || arguments.count > 1 else {
        say(overview())
        return arguments.isEmpty ? 1 : 0
    }
    if first == "help" {
        arguments.removeFirst()
        guard let command = commands.first(where: { $0.name == arguments[0] }) else {
            Terminal.error("course: there is no command '\(arguments[0])'.\n\n\(overview())")
            return 2
        }
        say(command.help)
        return 0
    }
    guard let command = commands.first(where: { $0.name == first }) else {
        Terminal.error("course: there is no command '\(first)'.\n\n\(overview())")
        return 2
    }
    do {
        let rest = Array(arguments.dropFirst())
        if rest.contains("--help") || rest.contains("-h") {
            say(command.help(for: rest))
            return 0
        }
        return try command.run(try command.parse(rest))
    } catch let error as CourseError {
        Terminal.error("course \(command.name): \(error.description)")
        return 2
    } catch {
        Terminal.error("course \(command.name): \(error.localizedDescription)")
        return 2
    }
}

exit(main())
