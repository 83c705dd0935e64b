import CourseKit
import Foundation

enum VerifyCommand: Command {
    static let name = "verify"
    static let summary = "maintainers: prove the graders pass the solutions and fail the stubs"
    static let valueOptions: Set<String> = ["time-limit", "seed", "seeds", "variant-seeds", "memory-limit"]
    static let flagOptions: Set<String> = ["no-mutants", "keep", "no-schemata", "record-timings"]
    static let help = """
        usage: course verify [LESSON…] [--no-mutants] [--no-schemata] [--record-timings] [--keep] [--seed S] [--seeds N] [--variant-seeds V] [--time-limit SECONDS]

        For maintainers and instructors. In a temporary workspace it checks that:
          1. the committed stubs are in sync with the solutions;
          2. every check fails on the untouched stubs (check by check, not lesson by lesson);
          3. every check passes on the reference solutions, under N seeds of fresh inputs
             (S, S+1, …, S+N−1; a check that fails names its seed);
          4. every mutant in Graders/NN-name/mutants.json (a solution with a planted bug: sign
             flip, transposed matrix, missing derivative, wrong averaging…) fails some check;
          5. every variant in Graders/NN-name/variants.json (the solution written differently but
             correctly: loops instead of tensor operations, a sum instead of a mean…) passes,
             under the first V of those seeds (3 unless --variant-seeds says).
        Mutants are graded under seed S alone.
        Exit status 0 only when all of this holds.

        options:
          --no-mutants   skip steps 4 and 5
          --keep         keep the temporary workspace and print where it is
          --no-schemata  build every mutant and variant on its own (slow; by default all that
                         sit inside a function body share one build, selected at run time)
          --record-timings  write each check's time on the solution (per seed) to
                         Graders/NN-name/timings.json: the per-check time limits of
                         `course grade` are 20× these (at least 2 s)
          --seed S       the first seed (default \(GradeSeeds.defaultSeed))
          --seeds N      how many seeds the solutions are graded under (default 20)
          --variant-seeds V  how many of them the variants are graded under (default 3, at most N)
        """

    static func run(_ arguments: Arguments) throws -> Int32 {
        let toolkit = try Context.toolkit()
        guard toolkit.hasSolutions else {
            throw CourseError("this is a student kit: the reference solutions are not part of it, so there is nothing to verify the graders against. Run `course verify` in the full toolkit (the checkout with Solutions/).")
        }
        let lessons = try toolkit.lessons(named: arguments.positional)
        var problems: [String] = []
        func report(_ ok: Bool, _ text: String) {
            say((ok ? Terminal.green("✔ ") : Terminal.red("✘ ")) + text)
            if !ok { problems.append(text) }
        }

        let drifts = try StubGenerator.check(toolkit)
        report(drifts.isEmpty, drifts.isEmpty ? "stubs are in sync with the solutions" : "stubs out of sync:\n" + drifts.map { "    \($0)" }.joined(separator: "\n"))

        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("course-verify-\(UUID().uuidString.prefix(8))")
        let workspace = Workspace(root: folder, toolkit: toolkit)
        _ = try workspace.create()
        defer { if !arguments.flags.contains("keep") { try? FileManager.default.removeItem(at: folder) } }
        if arguments.flags.contains("keep") { say("workspace: \(folder.path)") }
        let firstSeed = try arguments.options["seed"].map(GradeSeeds.parse) ?? GradeSeeds.defaultSeed
        let seedCount = try arguments.options["seeds"].map { text -> Int in
            guard let n = Int(text), (1...1000).contains(n) else { throw CourseError("--seeds takes a count from 1 to 1000, got '\(text)'.") }
            return n
        } ?? 20
        let variantSeedCount = try arguments.options["variant-seeds"].map { text -> Int in
            guard let n = Int(text), (1...1000).contains(n) else { throw CourseError("--variant-seeds takes a count from 1 to 1000, got '\(text)'.") }
            return n
        } ?? 3
        let solutionSeeds = (0..<UInt64(seedCount)).map { firstSeed &+ $0 }
        var grader = Grader(workspace: workspace, timeLimitOverride: try arguments.double("time-limit"), seeds: [firstSeed])
        grader.memoryLimitOverride = try arguments.options["memory-limit"].map(CheckLimits.parseMemory)

        say(Terminal.dim("Grading the untouched stubs…"))
        for (lesson, result) in zip(lessons, try grader.grade(lessons)) {
            if let errors = result.buildErrors {
                report(false, "\(lesson.id) stubs do not build: \(errors.first ?? "")")
                continue
            }
            let passing = result.checks.filter(\.passed)
            let crashed = result.checks.filter { $0.status == .crashed || $0.status == .timedOut }
            report(!result.checks.isEmpty && passing.isEmpty,
                   "\(lesson.id) stubs: \(result.checks.count - passing.count) of \(result.checks.count) checks fail" +
                   passing.map { "\n    passes on the stub: \($0.title)" }.joined())
            report(crashed.isEmpty, "\(lesson.id) stubs: no check crashes or times out" +
                   crashed.map { "\n    \($0.title): \($0.messages.first ?? "")" }.joined())
        }

        try install(lessons, into: workspace)
        say(Terminal.dim("Grading the reference solutions under \(seedCount) seed\(seedCount == 1 ? "" : "s") (\(firstSeed)…\(solutionSeeds.last ?? firstSeed))…"))
        grader.seeds = solutionSeeds
        let solutionResults = try grader.grade(lessons)
        grader.seeds = [firstSeed]
        if arguments.flags.contains("record-timings") {
            // Timed under one seed, as students are graded: a cost paid once per process (a
            // cached training run) must not be spread over many seeds.
            for (lesson, result) in zip(lessons, try grader.grade(lessons, build: false)) where result.allPassed {
                try CheckLimits.record(result.checks, seeds: 1, lesson: lesson, toolkit: toolkit)
                say(Terminal.dim("\(lesson.id): recorded the checks' times in Graders/\(lesson.slug)/timings.json"))
            }
        }
        for (lesson, result) in zip(lessons, solutionResults) {
            let untimed = CheckLimits(lessons: [lesson], toolkit: toolkit).references
            let missing = result.checks.filter { untimed[CheckLimits.key($0.id)] == nil }.map(\.title)
            report(missing.isEmpty, "\(lesson.id): every check has a reference time" + (missing.isEmpty ? "" : " — missing for \(missing.count) (run `course verify \(lesson.id) --record-timings`): \(missing.prefix(3).joined(separator: "; "))"))
            let failing = result.checks.filter { !$0.passed }
            report(result.buildErrors == nil && !result.checks.isEmpty && failing.isEmpty,
                   "\(lesson.id) solution: \(result.checks.count - failing.count) of \(result.checks.count) checks pass under \(seedCount) seed\(seedCount == 1 ? "" : "s")" +
                   (result.buildErrors.map { "\n    does not build: \($0.first ?? "")" } ?? "") +
                   failing.map { "\n    fails: \($0.title): \($0.messages.first ?? "")" }.joined())
        }

        if !arguments.flags.contains("no-mutants") {
            for lesson in lessons {
                let started = Date()
                let mutants = try Mutant.load(lesson, toolkit: toolkit)
                let variants = try Mutant.loadVariants(lesson, toolkit: toolkit)
                // Numbered in one sequence: mutants 0…, then variants.
                let changes = mutants.map { ($0, true) } + variants.map { ($0, false) }
                var variantGrader = grader
                variantGrader.seeds = Array(solutionSeeds.prefix(variantSeedCount))
                func judge(_ number: Int, _ result: LessonResult) {
                    let (change, isMutant) = changes[number]
                    if isMutant {
                        let caught = result.checks.filter { !$0.passed }
                        report(result.buildErrors == nil && !caught.isEmpty, "\(lesson.id) mutant “\(change.name)”: " + (result.buildErrors != nil ? "does not build (fix the mutant)"
                            : caught.isEmpty ? "no check catches it" : "caught by \(caught.count) check\(caught.count == 1 ? "" : "s") (\(caught.map(\.title).prefix(2).joined(separator: "; ")))"))
                    } else {
                        let failing = result.checks.filter { !$0.passed }
                        report(result.buildErrors == nil && failing.isEmpty && !result.checks.isEmpty,
                               "\(lesson.id) variant “\(change.name)”: " + (result.buildErrors != nil ? "does not build (fix the variant)"
                                : failing.isEmpty ? "accepted" : "rejected by " + failing.map { "\($0.title): \($0.messages.first ?? "")" }.joined(separator: "; ")))
                    }
                }

                // All changes that sit inside a function body share one build (mutant schemata);
                // the rest, or all of them if that build fails, are built one by one.
                var alone = Array(changes.indices)
                if !arguments.flags.contains("no-schemata") {
                    let placed = try installSchemata(lesson, changes.map(\.0), into: workspace)
                    var first = true
                    for number in placed {
                        var runner = changes[number].1 ? grader : variantGrader
                        runner.environment = [MutantSchemaKey.environmentKey: "\(number)"]
                        let result = try gradeChange(lesson, changes[number], with: runner, build: first)
                        if first, let errors = result.buildErrors {
                            say(Terminal.yellow("! \(lesson.id): the mutants compiled together do not build (\(errors.first ?? "")); building each on its own"))
                            break
                        }
                        first = false
                        judge(number, result)
                        alone.removeAll { $0 == number }
                    }
                }
                for number in alone {
                    judge(number, try grade(lesson, changedBy: changes[number], in: workspace,
                                            with: changes[number].1 ? grader : variantGrader))
                }
                try install([lesson], into: workspace)
                say(Terminal.dim(String(format: "\(lesson.id): \(mutants.count) mutants and \(variants.count) variants in %.0f s (\(changes.count - alone.count) in one build)",
                                        Date().timeIntervalSince(started))))
            }
        }
        say(problems.isEmpty ? Terminal.green("\nverify: everything holds.") : Terminal.red("\nverify: \(problems.count) problem\(problems.count == 1 ? "" : "s")."))
        return problems.isEmpty ? 0 : 1
    }

    /// Grades the lesson's reference solution with one mutant or variant applied.
    static func grade(_ lesson: Lesson, changedBy change: (Mutant, isMutant: Bool), in workspace: Workspace, with grader: Grader) throws -> LessonResult {
        try install([lesson], into: workspace)
        let original = try String(contentsOf: workspace.toolkit.solution(lesson, change.0.file), encoding: .utf8)
        try change.0.apply(to: original, lesson: lesson).write(to: workspace.file(lesson, change.0.file), atomically: true, encoding: .utf8)
        return try gradeChange(lesson, change, with: grader, build: true)
    }

    /// Runs the checks on a change already in place. A mutant is tried first on the checks of its
    /// own file's grader (`XGrader` for `X.swift`, the convention of Lessons/README.md): most are
    /// caught there, without the lesson's slower checks (training runs); only a mutant they all
    /// pass runs every check. A variant always runs every check.
    static func gradeChange(_ lesson: Lesson, _ change: (Mutant, isMutant: Bool), with grader: Grader, build: Bool) throws -> LessonResult {
        var build = build
        if change.isMutant {
            var focused = grader
            let suite = change.0.file.replacingOccurrences(of: ".swift", with: "") + "Grader"
            focused.checkFilter = "\(lesson.gradersModule)\\.\(suite)/"
            let result = try focused.grade([lesson], build: build)[0]
            if result.buildErrors != nil || result.checks.contains(where: { !$0.passed }) { return result }
            build = false
        }
        return try grader.grade([lesson], build: build)[0]
    }

    /// Writes the lesson's solution files with every change that fits a schema guarded by its
    /// number (`MutantSchemata`). - Returns: the numbers of the changes placed.
    static func installSchemata(_ lesson: Lesson, _ changes: [Mutant], into workspace: Workspace) throws -> [Int] {
        try install([lesson], into: workspace)
        var placed: [Int] = []
        for file in Set(changes.map(\.file)).sorted() {
            let original = try String(contentsOf: workspace.toolkit.solution(lesson, file), encoding: .utf8)
            let mine = changes.indices.filter { changes[$0].file == file }
                .map { MutantSchemata.Change(number: $0, replace: changes[$0].replace, with: changes[$0].with) }
            let schema = MutantSchemata.schema(of: original, changes: mine)
            try schema.text.write(to: workspace.file(lesson, file), atomically: true, encoding: .utf8)
            placed += schema.placed
        }
        return placed.sorted()
    }

    /// Copies the reference solutions of `lessons` over the workspace's files.
    static func install(_ lessons: [Lesson], into workspace: Workspace) throws {
        for lesson in lessons {
            for file in lesson.files {
                try Data(contentsOf: workspace.toolkit.solution(lesson, file)).write(to: workspace.file(lesson, file))
            }
        }
    }
}
