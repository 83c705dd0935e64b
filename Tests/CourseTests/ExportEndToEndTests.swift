import Foundation
import Testing
import CourseKit

/// `course export` (student kit, GitHub Classroom, Gradescope) and `course solution`, end to end
/// with the real `course` binary.
extension CLIEndToEnd {
@Suite struct ExportEndToEndTests {
    /// A fresh temporary folder's URL (not created).
    static func temporary(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("course-export-\(name)-\(UUID().uuidString.prefix(8))")
    }

    /// Runs `executable arguments…` in `folder`, output and errors together.
    static func run(_ executable: String, _ arguments: [String], in folder: URL,
                    environment: [String: String] = [:]) throws -> CourseCLI.Result {
        try CourseCLI.run(arguments, in: folder, environment: environment, program: URL(fileURLWithPath: executable))
    }

    static func exists(_ folder: URL, _ path: String) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path)
    }

    /// What lesson 00's checks are worth, counted here from the grader sources: the number after
    /// every `.points(`.
    static func lesson00Points() throws -> Int {
        let folder = CourseCLI.toolkit.appendingPathComponent("Graders/00-warmup")
        var total = 0
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) where name.hasSuffix(".swift") {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            for piece in text.components(separatedBy: ".points(").dropFirst() {
                total += Int(String(piece.prefix { $0.isNumber })) ?? 0
            }
        }
        return total
    }

    // MARK: Student kit

    /// The slow one: a kit of lesson 00 builds its own `course`, which makes a workspace and
    /// grades its stubs to 0 points without a crash.
    @Test func aStudentKitHoldsNoSolutionsAndGradesAStubWorkspace() throws {
        let folder = Self.temporary("kit")
        defer { try? FileManager.default.removeItem(at: folder) }
        let kit = folder.appendingPathComponent("kit")
        let export = try CourseCLI.run(["export", "student-kit", kit.path, "--lessons", "00"], in: FileManager.default.temporaryDirectory)
        #expect(export.status == 0, "\(export.output)")
        for absent in ["Solutions", "Tests", "Sources/CourseBench", "Sources/NeuralBlocks", "Graders/00-warmup/mutants.json",
                       "Graders/00-warmup/variants.json", "Lessons/01-neuron", "Graders/01-neuron", ".git", ".build"] {
            #expect(!Self.exists(kit, absent), "\(absent) must not be in the kit")
        }
        for present in ["Package.swift", "Lessons/00-warmup/DotProduct.swift", "Lessons/00-warmup/lesson.json",
                        "Graders/00-warmup/DotProductGrader.swift", "Sources/NeuralKit", "Sources/course/main.swift"] {
            #expect(Self.exists(kit, present), "\(present) must be in the kit")
        }
        let again = try CourseCLI.run(["export", "student-kit", kit.path, "--lessons", "00"], in: FileManager.default.temporaryDirectory)
        #expect(again.status == 2 && again.output.contains("never overwrites"), "\(again.output)")

        let manifest = try Self.run("/usr/bin/env", ["swift", "package", "dump-package", "--package-path", kit.path], in: folder)
        #expect(manifest.status == 0, "\(manifest.output)")
        #expect(manifest.output.contains("\"CourseKit\"") && !manifest.output.contains("Solutions"), "\(manifest.output)")

        let build = try Self.run("/usr/bin/env", ["swift", "build", "--package-path", kit.path, "--product", "course"], in: folder)
        try #require(build.status == 0, "\(build.output)")
        let course = kit.appendingPathComponent(".build/debug/course").path
        let environment = ["COURSE_TOOLKIT": kit.path]
        let workspace = folder.appendingPathComponent("ws")
        let created = try Self.run(course, ["init", workspace.path], in: folder, environment: environment)
        try #require(created.status == 0, "\(created.output)")
        #expect(!Self.exists(workspace, "Lessons/01-neuron"), "a kit of lesson 00 makes a workspace of lesson 00")
        let grade = try Self.run(course, ["grade", "00"], in: workspace, environment: environment)
        #expect(grade.status == 1, "\(grade.output)")
        #expect(grade.output.contains("0/\(try Self.lesson00Points()) points"), "\(grade.output)")
        #expect(!grade.output.contains("crashed") && !grade.output.contains("Could not be built"), "\(grade.output)")

        for command in [["verify", "00"], ["stubs", "--check"]] {
            let refused = try Self.run(course, command, in: workspace, environment: environment)
            #expect(refused.status == 2, "\(refused.output)")
            #expect(refused.output.contains("this is a student kit: the reference solutions are not part of it"), "\(refused.output)")
        }
        let solution = try Self.run(course, ["solution", "00"], in: workspace, environment: environment)
        #expect(solution.status == 1 && solution.output.contains("Ask your instructor"), "\(solution.output)")
    }

    @Test func aKitWithALessonThatUsesLesson03sLibraryKeepsItAndSaysWhy() throws {
        let folder = Self.temporary("kit34")
        defer { try? FileManager.default.removeItem(at: folder) }
        let withUser = try CourseCLI.run(["export", "student-kit", folder.appendingPathComponent("both").path, "--lessons", "03,04"],
                                         in: FileManager.default.temporaryDirectory)
        #expect(withUser.status == 0, "\(withUser.output)")
        #expect(Self.exists(folder, "both/Sources/NeuralBlocks/Dense.swift"))
        #expect(withUser.output.contains("students can read lesson 03's answer"), "\(withUser.output)")
        let alone = try CourseCLI.run(["export", "student-kit", folder.appendingPathComponent("alone").path, "--lessons", "03"],
                                      in: FileManager.default.temporaryDirectory)
        #expect(alone.status == 0, "\(alone.output)")
        #expect(!Self.exists(folder, "alone/Sources/NeuralBlocks"))
        #expect(!alone.output.contains("answer"), "\(alone.output)")
        let manifest = try Self.run("/usr/bin/env", ["swift", "package", "dump-package", "--package-path", folder.appendingPathComponent("both").path], in: folder)
        #expect(manifest.status == 0 && manifest.output.contains("\"NeuralBlocks\""), "\(manifest.output)")
    }

    // MARK: course solution

    @Test func theSolutionOpensOnlyOnceTheLessonPassesAndNeverOverwrites() throws {
        let solutions = SharedWorkspace.root.appendingPathComponent("solutions")
        defer { try? FileManager.default.removeItem(at: solutions) }
        try SharedWorkspace.install(stub: true)
        _ = try SharedWorkspace.course("grade", "00")
        let refused = try SharedWorkspace.course("solution", "00")
        #expect(refused.status == 1, "\(refused.output)")
        #expect(refused.output.contains("14 of 14 checks still fail") && refused.output.contains("course grade 00"), "\(refused.output)")
        #expect(!FileManager.default.fileExists(atPath: solutions.path))

        try SharedWorkspace.install(stub: false)
        let grade = try SharedWorkspace.course("grade", "00")
        try #require(grade.status == 0, "\(grade.output)")
        let opened = try SharedWorkspace.course("solution", "00")
        #expect(opened.status == 0, "\(opened.output)")
        let reference = CourseCLI.toolkit.appendingPathComponent("Solutions/00-warmup")
        for name in SharedWorkspace.files {
            let copy = solutions.appendingPathComponent("00-warmup/\(name)")
            #expect(FileManager.default.contents(atPath: copy.path) == FileManager.default.contents(atPath: reference.appendingPathComponent(name).path), "\(name)")
            #expect(opened.output.contains("solutions/00-warmup/\(name)"), "\(opened.output)")
        }
        let mine = solutions.appendingPathComponent("00-warmup/Affine.swift")
        try "// my notes".write(to: mine, atomically: true, encoding: .utf8)
        let again = try SharedWorkspace.course("solution", "00")
        #expect(again.status == 0, "\(again.output)")
        #expect(again.output.contains("solutions/00-warmup/Affine.swift (already there: kept as it is)"), "\(again.output)")
        #expect(try String(contentsOf: mine, encoding: .utf8) == "// my notes")
    }

    // MARK: GitHub Classroom

    @Test func theClassroomWorkflowHasOneGraderStepPerLessonWorthItsPoints() throws {
        let folder = Self.temporary("classroom")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CourseCLI.run(["export", "github-classroom", folder.path, "--lessons", "00,01", "--toolkit-url", "https://example.org/kit.git"],
                                       in: FileManager.default.temporaryDirectory)
        #expect(result.status == 0, "\(result.output)")
        let yaml = try String(contentsOf: folder.appendingPathComponent(".github/workflows/classroom.yml"), encoding: .utf8)
        #expect(yaml.components(separatedBy: "uses: education/autograding-command-grader@v1").count - 1 == 2, "\(yaml)")
        #expect(yaml.contains("uses: education/autograding-grading-reporter@v1"), "\(yaml)")
        #expect(yaml.contains("runners: lesson00,lesson01"), "\(yaml)")
        #expect(yaml.contains("LESSON00_RESULTS: \"${{ steps.lesson00.outputs.result }}\""), "\(yaml)")
        #expect(yaml.contains("TOOLKIT_URL: https://example.org/kit.git") && !yaml.contains("YOUR-ORGANISATION"), "\(yaml)")
        // Lesson 00's step: from its id to the next step.
        let step = yaml.components(separatedBy: "id: lesson00").last?.components(separatedBy: "- name:").first ?? ""
        #expect(step.contains("grade 00'"), "\(step)")
        #expect(step.contains("max-score: \(try Self.lesson00Points())\n"), "\(step)")

        let placeholder = try CourseCLI.run(["export", "github-classroom", folder.appendingPathComponent("other").path, "--lessons", "00"],
                                            in: FileManager.default.temporaryDirectory)
        #expect(placeholder.status == 0 && placeholder.output.contains("placeholder"), "\(placeholder.output)")
        let again = try CourseCLI.run(["export", "github-classroom", folder.path, "--lessons", "00"], in: FileManager.default.temporaryDirectory)
        #expect(again.status == 2 && again.output.contains("never overwrites"), "\(again.output)")
        #expect(try String(contentsOf: folder.appendingPathComponent(".github/workflows/classroom.yml"), encoding: .utf8) == yaml)
    }

    // MARK: Gradescope

    @Test func theGradescopeBundleHoldsTheScriptsTheKitAndTheHiddenGraders() throws {
        let folder = Self.temporary("gradescope")
        defer { try? FileManager.default.removeItem(at: folder) }
        let hidden = folder.appendingPathComponent("hidden")
        try FileManager.default.createDirectory(at: hidden.appendingPathComponent("00-warmup"), withIntermediateDirectories: true)
        try "// a hidden check".write(to: hidden.appendingPathComponent("00-warmup/ExtraGrader.swift"), atomically: true, encoding: .utf8)
        let zip = folder.appendingPathComponent("autograder.zip")
        let result = try CourseCLI.run(["export", "gradescope", zip.path, "--lessons", "00", "--graders", hidden.path], in: folder)
        #expect(result.status == 0, "\(result.output)")
        let entries = try ZipDirectory(Data(contentsOf: zip)).entries
        let names = Set(entries.map(\.name))
        for name in ["setup.sh", "run_autograder", "toolkit/Package.swift", "toolkit/Lessons/00-warmup/DotProduct.swift",
                     "toolkit/Graders/00-warmup/DotProductGrader.swift", "toolkit/Sources/course/main.swift", "hidden/00-warmup/ExtraGrader.swift"] {
            #expect(names.contains(name), "\(name) missing from the bundle")
        }
        #expect(!names.contains { $0.hasPrefix("toolkit/Solutions/") || $0.hasPrefix("toolkit/Tests/") || $0.contains("mutants.json") || $0.contains("/01-neuron/") })
        #expect(entries.first { $0.name == "run_autograder" }?.mode == 0o755)
        #expect(entries.first { $0.name == "setup.sh" }?.mode == 0o755)

        // The scripts: taken from the bundle's own text, checked by size and CRC-32 against the zip.
        let run = try #require(entries.first { $0.name == "run_autograder" })
        let setup = try #require(entries.first { $0.name == "setup.sh" })
        let scripts = try GradescopeScripts(bundleOf: zip, hidden: hidden)
        #expect(run.size == scripts.run.utf8.count && run.crc == ZipDirectory.crc32(Data(scripts.run.utf8)))
        #expect(setup.size == scripts.setup.utf8.count && setup.crc == ZipDirectory.crc32(Data(scripts.setup.utf8)))
        #expect(scripts.run.contains("grade 00 --submissions /tmp/subs --report /tmp/report --graders /autograder/source/hidden"), "\(scripts.run)")
        #expect(scripts.setup.contains("download.swift.org/swift-6.3.1-release/ubuntu2204"), "\(scripts.setup)")
        for (name, text) in [("run_autograder", scripts.run), ("setup.sh", scripts.setup)] {
            let file = folder.appendingPathComponent(name)
            try text.write(to: file, atomically: true, encoding: .utf8)
            let syntax = try Self.run("/bin/bash", ["-n", file.path], in: folder)
            #expect(syntax.status == 0, "\(name): \(syntax.output)")
        }
        try GradescopeScripts.expectFallback(run: scripts.run, in: folder)

        let again = try CourseCLI.run(["export", "gradescope", zip.path, "--lessons", "00"], in: folder)
        #expect(again.status == 2 && again.output.contains("never overwrites"), "\(again.output)")
    }
}
}

/// The Gradescope scripts as `course export gradescope` writes them (CourseKit's GradescopeBundle).
struct GradescopeScripts {
    let run: String
    let setup: String

    init(bundleOf zip: URL, hidden: URL?) throws {
        let toolkit = try Toolkit(root: CourseCLI.toolkit)
        let bundle = GradescopeBundle(kit: StudentKit(toolkit: toolkit, lessons: [try toolkit.lesson(named: "00")]), hiddenGraders: hidden)
        run = bundle.runScript
        setup = bundle.setupScript
    }

    /// Runs `run_autograder` with its folders moved under `folder` and a `course` that prints
    /// awkward text and fails: the results must be valid JSON, score 0, with the log's end.
    static func expectFallback(run: String, in folder: URL, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let root = folder.appendingPathComponent("fallback")
        let fm = FileManager.default
        try fm.createDirectory(at: root.appendingPathComponent("autograder/submission"), withIntermediateDirectories: true)
        try fm.createDirectory(at: root.appendingPathComponent("tmp"), withIntermediateDirectories: true)
        try "let x = 1".write(to: root.appendingPathComponent("autograder/submission/DotProduct.swift"), atomically: true, encoding: .utf8)
        let course = root.appendingPathComponent("course")
        try "#!/bin/bash\nprintf 'said \"no\" back\\\\slash\\ttab\\n\\001ctrl done\\n'\nexit 3\n".write(to: course, atomically: true, encoding: .utf8)
        try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: course.path)
        let moved = run.replacingOccurrences(of: "/tmp/", with: "\u{1}/").replacingOccurrences(of: "/autograder", with: root.path + "/autograder")
            .replacingOccurrences(of: "\u{1}/", with: root.path + "/tmp/")
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("course=") ? "course=\(course.path)" : String($0) }.joined(separator: "\n")
        let script = root.appendingPathComponent("run_autograder")
        try moved.write(to: script, atomically: true, encoding: .utf8)
        let result = try CLIEndToEnd.ExportEndToEndTests.run("/bin/bash", [script.path], in: root)
        #expect(result.status == 0, "\(result.output)", sourceLocation: sourceLocation)
        #expect(fm.fileExists(atPath: root.appendingPathComponent("tmp/subs/student/DotProduct.swift").path),
                "the submission is copied in as the student `student`", sourceLocation: sourceLocation)
        let data = try Data(contentsOf: root.appendingPathComponent("autograder/results/results.json"))
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], sourceLocation: sourceLocation)
        #expect(json["score"] as? Int == 0, sourceLocation: sourceLocation)
        let output = json["output"] as? String ?? ""
        #expect(output.contains("Grading failed (course exited with status 3)"), "\(output)", sourceLocation: sourceLocation)
        #expect(output.contains("said \"no\" back\\slash\ttab\nctrl done"), "\(output)", sourceLocation: sourceLocation)
    }
}
