import Foundation

/// The files `course init` writes into a new workspace.
enum WorkspaceTemplates {
    /// The workspace manifest: one library target per lesson folder present, depending on NeuralKit.
    static func manifest(toolkit: Toolkit) -> String {
        let lessons = toolkit.lessons.map { lesson in
            "    (folder: \"\(lesson.slug)\", module: \"\(lesson.module)\", uses: [\(lesson.uses.map { "\"\($0)\"" }.joined(separator: ", "))]),"
        }.joined(separator: "\n")
        return """
            // swift-tools-version: 6.0
            // Your course workspace, written by `course init`. It lets your editor and `swift build`
            // compile your lessons against the toolkit. Grading does not read it: `course grade`
            // builds your lesson files with the toolkit's graders in .course/harness.
            import Foundation
            import PackageDescription

            // The toolkit: where `course` last ran from (it writes .course/toolkit), so the workspace
            // can be moved or copied; COURSE_TOOLKIT overrides; the path at `course init` is the last resort.
            let toolkit = ProcessInfo.processInfo.environment["COURSE_TOOLKIT"]
                ?? (try? String(contentsOfFile: Context.packageDirectory + "/.course/toolkit", encoding: .utf8))?
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                ?? \(swiftLiteral(toolkit.root.path))
            let lessons: [(folder: String, module: String, uses: [String])] = [
            \(lessons)
            ]
            let present = lessons.filter {
                FileManager.default.fileExists(atPath: Context.packageDirectory + "/Lessons/\\($0.folder)")
            }

            let package = Package(
                name: "CourseWorkspace",
                dependencies: [.package(path: toolkit)],
                targets: present.map {
                    .target(name: $0.module,
                            dependencies: [.product(name: "NeuralKit", package: "\(toolkit.packageIdentity)")]
                                + $0.uses.map { .product(name: $0, package: "\(toolkit.packageIdentity)") },
                            path: "Lessons/\\($0.folder)", exclude: ["README.md"])
                },
                swiftLanguageModes: [.v6]
            )

            """
    }

    static func readme(toolkit: Toolkit) -> String {
        let list = toolkit.lessons.map { "- `Lessons/\($0.slug)/` — \($0.title)" }.joined(separator: "\n")
        return """
            # My neural-network course workspace

            Each lesson folder holds the lesson text (`README.md`) and the Swift files you complete.
            Every function you write starts as a stub that says what to do and returns
            `unimplemented(…)`; replace that with your code.

            \(list)

            ## The loop

                course grade 00        # build your code and run the lesson's checks
                course hint 00         # one more hint each time
                course run 01          # run the lesson's experiment with your code
                course status          # progress over all lessons
                course watch 00        # re-grade every time you save
                course reset 00 File.swift   # start a file again (your version is backed up first)

            (From the toolkit folder, `swift run course …` does the same.)

            Your files are yours: `course` never overwrites or deletes them without first copying
            them to `backups/`.

            """
    }
}
