import CourseKit
import Foundation

enum ExportCommand: Command {
    static let name = "export"
    static let summary = "instructors: a student kit, a GitHub Classroom workflow or a Gradescope autograder"
    static let positionalCount = 2...2
    static let valueOptions: Set<String> = ["lessons", "toolkit-url", "graders"]
    static let help = """
        usage: course export student-kit DIR [--lessons 00,01,02,03]
               course export github-classroom DIR [--toolkit-url URL] [--lessons …]
               course export gradescope OUT.zip [--graders HIDDEN_DIR] [--lessons …]

        For instructors: what to hand out, and what grades it elsewhere. An export never
        overwrites: the kit's DIR must not exist or be empty, the workflow file and OUT.zip must
        not exist.

          student-kit       the toolkit as students get it: without the reference solutions
                            (Solutions/), the toolkit's own tests (Tests/), the graders' mutants
                            and variants (solutions with planted bugs), the benchmarks, and the
                            lessons not listed. Students build `course` from it and work as usual.
                            Lesson 03's finished solution is the library NeuralBlocks, which
                            lessons 04–07 import: it is in the kit only when one of those is, and
                            then students of 03 can read its answer in Sources/NeuralBlocks.
                            Release lessons 04+ after lesson 03's due date (a kit per release).
          github-classroom  DIR/.github/workflows/classroom.yml for a template repository (DIR
                            may be its checkout) that is a student workspace (`course init`): it builds the toolkit from
                            --toolkit-url and grades each lesson with `course grade NN`, all or
                            nothing (its points only when every check passes).
          gradescope        the autograder zip to upload: setup.sh (Swift \(GradescopeBundle.swiftRelease) and `course`),
                            run_autograder (`course grade --submissions`, Gradescope's results
                            with per-check points), the student kit as toolkit/, and hidden/.

        options:
          --lessons L      the lessons, comma-separated (00,01 or warmup,neuron); default: all
          --toolkit-url U  github-classroom: the git URL the workflow clones the toolkit from
                           (your published student kit). Without it the workflow holds a
                           placeholder that you must edit before it can run.
          --graders DIR    gradescope: hidden graders, DIR/<lesson>/*.swift (and visibility.json),
                           added to the toolkit's at grading time
        """

    static func run(_ arguments: Arguments) throws -> Int32 {
        guard arguments.positional.count == 2 else {
            throw CourseError("name what to export and where, e.g. `course export student-kit ~/kit` (see `course export --help`).")
        }
        let toolkit = try Context.toolkit()
        let names = (arguments.options["lessons"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let kit = StudentKit(toolkit: toolkit, lessons: try toolkit.lessons(named: names))
        let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        let destination = URL(fileURLWithPath: arguments.positional[1], relativeTo: here).standardizedFileURL
        let kind = arguments.positional[0]
        for (option, owner) in [("toolkit-url", "github-classroom"), ("graders", "gradescope")] where arguments.options[option] != nil && kind != owner {
            throw CourseError("--\(option) is for `course export \(owner)`.")
        }
        switch kind {
        case "student-kit": return try exportKit(kit, to: destination)
        case "github-classroom": return try exportClassroom(kit, to: destination, toolkitURL: arguments.options["toolkit-url"])
        case "gradescope": return try exportGradescope(kit, to: destination, hidden: arguments.options["graders"].map { URL(fileURLWithPath: $0, relativeTo: here).standardizedFileURL })
        default:
            throw CourseError("there is no export '\(kind)': choose student-kit, github-classroom or gradescope (see `course export --help`).")
        }
    }

    static func lessonList(_ kit: StudentKit) -> String {
        kit.lessons.map { "\($0.id) \($0.title)" }.joined(separator: "; ")
    }

    /// Prints, for each lesson of the kit that publishes its answer to a later lesson of the kit, why.
    static func warnAboutExposedAnswers(_ kit: StudentKit) {
        for (publisher, user) in kit.exposedAnswers {
            say(Terminal.yellow("Note: lesson \(publisher.id)'s finished solution is in Sources/\(publisher.library ?? "") because lesson \(user.id) uses it: students can read lesson \(publisher.id)'s answer there. Release lesson \(user.id) and later after lesson \(publisher.id)'s due date (export a kit without \(user.id) first)."))
        }
    }

    static func exportKit(_ kit: StudentKit, to folder: URL) throws -> Int32 {
        let files = try kit.copy(to: folder)
        say("Wrote the student kit to \(folder.path): \(files.count) files, lessons \(lessonList(kit)).")
        say("Left out: Solutions/, Tests/, the graders' mutants and variants, Sources/CourseBench" +
            (kit.librariesUsed.isEmpty ? ", the published libraries (no lesson of the kit uses them)." : "."))
        warnAboutExposedAnswers(kit)
        say("Students build it with `swift build --product course` in that folder, then `course init my-course`.")
        return 0
    }

    static func exportClassroom(_ kit: StudentKit, to folder: URL, toolkitURL: String?) throws -> Int32 {
        let workflow = ClassroomWorkflow(toolkit: kit.toolkit, lessons: kit.lessons, toolkitURL: toolkitURL)
        let file = folder.appendingPathComponent(".github/workflows/classroom.yml")
        guard !FileManager.default.fileExists(atPath: file.path) else {
            throw CourseError("\(file.path) already exists; an export never overwrites. Delete it first to write a new one.")
        }
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try workflow.text.write(to: file, atomically: true, encoding: .utf8)
        say("Wrote \(file.path): one grader step per lesson (\(lessonList(kit))).")
        for lesson in kit.lessons {
            say("  \(ClassroomWorkflow.stepID(lesson)): `course grade \(lesson.id)`, \(kit.toolkit.totalPoints(of: lesson)) points, all or nothing")
        }
        if toolkitURL == nil {
            say(Terminal.yellow("The toolkit URL is a placeholder (\(ClassroomWorkflow.placeholderURL)): edit TOOLKIT_URL in the workflow, or export again with --toolkit-url, before students push."))
        }
        say("Copy .github/ into the assignment's template repository: a workspace made by `course init` with the kit's `course`.")
        return 0
    }

    static func exportGradescope(_ kit: StudentKit, to file: URL, hidden: URL?) throws -> Int32 {
        if let hidden {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: hidden.path, isDirectory: &isFolder), isFolder.boolValue else {
                throw CourseError("--graders \(hidden.path) is not a folder. It holds one folder per lesson (03-mlp/ or 03/) of hidden grader files.")
            }
        }
        guard file.pathExtension == "zip" else {
            throw CourseError("Gradescope takes a .zip: name the bundle OUT.zip, e.g. `course export gradescope autograder.zip`.")
        }
        let bundle = GradescopeBundle(kit: kit, hiddenGraders: hidden)
        let entries = try bundle.write(to: file)
        let kitCount = entries.filter { $0.path.hasPrefix("toolkit/") }.count
        let hiddenCount = entries.filter { $0.path.hasPrefix("hidden/") }.count
        say("Wrote \(file.path): setup.sh, run_autograder, toolkit/ (\(kitCount) files: the student kit with lessons \(lessonList(kit)))" +
            (hidden == nil ? "." : ", hidden/ (\(hiddenCount) files)."))
        say("Upload it as the assignment's autograder (Ubuntu 22.04 base image). Students submit their workspace's lesson files; each check's points and visibility come from the grading.")
        return 0
    }
}
