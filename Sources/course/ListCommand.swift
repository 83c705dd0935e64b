import CourseKit
import Foundation

enum ListCommand: Command {
    static let name = "list"
    static let summary = "the lessons, with your progress when run in a workspace"
    static let positionalCount = 0...0
    static let help = """
        usage: course list

        Lists the course's lessons. Inside a workspace it also shows, for each lesson, the points
        of your latest `course grade`.
        """

    static func run(_ arguments: Arguments) throws -> Int32 {
        let toolkit = try Context.toolkit()
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let state = Workspace.find(from: here, toolkit: toolkit).map(WorkspaceState.load)
        for lesson in toolkit.lessons {
            var line = "\(Terminal.bold(lesson.id))  \(lesson.title.padding(toLength: 44, withPad: " ", startingAt: 0))"
            if let state {
                if let result = state.results[lesson.id] {
                    line += result.buildErrors != nil ? Terminal.red("does not build")
                        : "\(result.earned)/\(result.possible) points" + (result.allPassed ? " " + Terminal.green("✔") : "")
                } else {
                    line += Terminal.dim("not graded yet")
                }
            }
            say(line)
        }
        if state == nil { say("\nStart with `course init my-course`.") }
        return 0
    }
}
