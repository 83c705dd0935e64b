import Foundation
import Testing

/// Options, confirmations and backups: what a student types wrong is refused with the fix, and
/// nothing is lost.
extension CLIEndToEnd {
@Suite struct OptionsEndToEndTests {
    @Test func optionsWithoutTheirValueAreRefused() throws {
        let seed = try SharedWorkspace.course("grade", "00", "--seed")
        #expect(seed.status == 2)
        #expect(seed.output.contains("--seed needs a value"), "\(seed.output)")
        let swallowed = try SharedWorkspace.course("grade", "00", "--time-limit", "--verbose")
        #expect(swallowed.status == 2)
        #expect(swallowed.output.contains("--time-limit needs a value"), "\(swallowed.output)")
        let knob = try SharedWorkspace.course("run", "01", "--steps")
        #expect(knob.status == 2)
        #expect(knob.output.contains("--steps needs a value, e.g. `course run 01 --steps"), "\(knob.output)")
    }

    @Test func strayArgumentsAreRefusedAndAnOptionWithoutDashesIsNamed() throws {
        let undashed = try SharedWorkspace.course("run", "01", "steps=100")
        #expect(undashed.status == 2)
        #expect(undashed.output.contains("options are written with two dashes, e.g. `--steps 100`"), "\(undashed.output)")
        let stray = try SharedWorkspace.course("status", "now")
        #expect(stray.status == 2)
        #expect(stray.output.contains("unexpected argument 'now'"), "\(stray.output)")
        let unknown = try SharedWorkspace.course("run", "01", "--stepz", "3")
        #expect(unknown.status == 2)
        #expect(unknown.output.contains("has no option --stepz"), "\(unknown.output)")
    }

    @Test func resettingAWholeLessonAsksAndRestoreBringsTheFilesBack() throws {
        try SharedWorkspace.install(stub: false)
        let mine = try String(contentsOf: SharedWorkspace.file("Affine.swift"), encoding: .utf8)
        // Not at a terminal: refused without --yes, nothing touched.
        let refused = try SharedWorkspace.course("reset", "00")
        #expect(refused.status == 2)
        #expect(refused.output.contains("add --yes"), "\(refused.output)")
        #expect(try String(contentsOf: SharedWorkspace.file("Affine.swift"), encoding: .utf8) == mine)

        let reset = try SharedWorkspace.course("reset", "00", "--yes")
        #expect(reset.status == 0, "\(reset.output)")
        let stub = try String(contentsOf: CourseCLI.toolkit.appendingPathComponent("Lessons/00-warmup/Affine.swift"), encoding: .utf8)
        #expect(try String(contentsOf: SharedWorkspace.file("Affine.swift"), encoding: .utf8) == stub)

        let list = try SharedWorkspace.course("restore", "--list")
        #expect(list.output.contains("Lessons/00-warmup/Affine.swift"), "\(list.output)")
        let restored = try SharedWorkspace.course("restore")
        #expect(restored.status == 0, "\(restored.output)")
        #expect(try String(contentsOf: SharedWorkspace.file("Affine.swift"), encoding: .utf8) == mine)
        // The stubs it replaced were backed up in turn.
        #expect(restored.output.contains("saved in "), "\(restored.output)")
        let missing = try SharedWorkspace.course("restore", "1999-01-01T00-00-00")
        #expect(missing.status == 2)
        #expect(missing.output.contains("restore --list"), "\(missing.output)")
    }
}
}
