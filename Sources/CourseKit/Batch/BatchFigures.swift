import Foundation

/// The figures of a lesson's experiment, made from one student's code for their feedback page
/// (`course grade --submissions … --figures`): the experiment the harness built runs with the
/// lesson's quick settings (`experiment.quick` in lesson.json), in the same sandbox and limits as
/// the checks, for at most `seconds`; the SVG files it writes are read back.
struct BatchFigures {
    let harness: Harness
    let lesson: Lesson
    let sandbox: Sandbox?
    let folder: URL
    let seconds: Double
    let memory: UInt64

    /// Most figures kept per lesson, and the largest SVG kept.
    static let maxFigures = 12
    static let maxBytes = 2 << 20

    /// - Returns: the figures, and a problem sentence when none could be made.
    func make() -> (figures: [FigureReport], problem: String?) {
        guard let experiment = lesson.experiment else { return ([], nil) }
        let binary = harness.root.appendingPathComponent(".build/debug/\(lesson.experimentProduct)")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            return ([], "the experiment's figures could not be made: it was not built")
        }
        try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        if let sandbox { sandbox.giveAway(folder) }
        var arguments = ["--output", folder.path]
        for option in experiment.options {
            arguments += ["--\(option.name)", experiment.quick?[option.name] ?? option.default]
        }
        let log = folder.appendingPathComponent("experiment.log")
        let confined = sandbox.map { ["TMPDIR": $0.writable.path, "HOME": $0.writable.path, "NO_COLOR": "1"] } ?? ["NO_COLOR": "1"]
        guard let process = try? ChildProcess(binary.path, arguments, environment: confined, output: log,
                                              memoryLimit: CheckLimits.addressSpace(for: memory), sandbox: sandbox) else {
            return ([], "the experiment's figures could not be made: it did not start")
        }
        let started = Date()
        while process.poll() == nil {
            if Date().timeIntervalSince(started) > seconds {
                process.killGroup()
                process.wait()
                return ([], "the experiment ran longer than \(Int(seconds)) s and was stopped: no figures")
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        var figures: [FigureReport] = []
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".svg") }.sorted()
        for name in names.prefix(Self.maxFigures) {
            let file = folder.appendingPathComponent(name)
            let attributes = try? FileManager.default.attributesOfItem(atPath: file.path)
            guard attributes?[.type] as? FileAttributeType == .typeRegular, (attributes?[.size] as? Int ?? .max) <= Self.maxBytes,
                  let data = FileManager.default.contents(atPath: file.path) else { continue }
            figures.append(FigureReport(name: name, svg: String(decoding: data, as: UTF8.self)))
        }
        if figures.isEmpty {
            let tail = readText(log).split(separator: "\n").suffix(3).joined(separator: " / ")
            return ([], "the experiment made no figure (exit \(process.poll() ?? -1)): \(tail)")
        }
        return (figures, nil)
    }
}
