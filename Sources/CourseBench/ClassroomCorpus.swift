import CourseKit
import Foundation

/// A class of generated submissions for lessons 00 and 03, each with what its honest behaviour
/// earns, for the batch-grading load test (`course-bench classroom`).
///
/// Kinds, spread over the class by a seeded draw: correct (as a workspace, a flat folder, a zip, a
/// tar.gz), partly correct (one planted bug of `mutants.json`), crashing, looping, memory-hungry,
/// not compiling, hostile archives, forging (the three attacks found on the old runner and
/// variants of them), and entries that are not submissions at all.
struct ClassroomCorpus {
    /// What a submission should get, as the load test checks it.
    enum Expectation: CustomStringConvertible {
        /// Every check of both lessons passes.
        case full
        /// Lesson `lesson` earns something but not everything; the other lesson full.
        case partial(lesson: String)
        /// Lesson `lesson` is voided (0, with a rule named); the other lesson full.
        case voided(lesson: String)
        /// Lesson `lesson` has a check that ends with `status` ("crashed", "timedOut", or either:
        /// memory-hungry code is stopped by whichever limit it reaches first) and earns less than
        /// full; the other lesson full.
        case failing(lesson: String, status: String)
        /// Lesson `lesson` earns 0 and says why (does not compile); the other lesson full.
        case broken(lesson: String)
        /// The submission is rejected as a whole: no lesson graded, a problem stated.
        case rejected

        var description: String {
            switch self {
            case .full: "full"
            case .partial(let l): "partial \(l)"
            case .voided(let l): "voided \(l)"
            case .broken(let l): "broken \(l)"
            case .failing(let l, let s): "\(s) in \(l)"
            case .rejected: "rejected"
            }
        }
    }

    struct Entry {
        let name: String
        let kind: String
        let expectation: Expectation
    }

    let toolkit: Toolkit
    let folder: URL
    /// A file no submission may create (the forging ones try): its existence fails the load test.
    let marker: URL
    private(set) var entries: [Entry] = []

    init(toolkit: Toolkit, folder: URL, marker: URL) {
        self.toolkit = toolkit
        self.folder = folder
        self.marker = marker
    }

    var lessons: [Lesson] { ["00", "03"].compactMap { try? toolkit.lesson(named: $0) } }

    /// The reference files of both lessons (path in a workspace → text).
    func reference() throws -> [String: String] {
        var files: [String: String] = [:]
        for lesson in lessons {
            for file in lesson.files {
                files["Lessons/\(lesson.slug)/\(file)"] = try String(contentsOf: toolkit.solution(lesson, file), encoding: .utf8)
            }
        }
        return files
    }

    /// Writes `count` submissions, their kinds drawn with `seed`.
    mutating func generate(count: Int, seed: UInt64) throws {
        var random = SplitMix(seed: seed)
        let kinds = ["workspace", "flat", "zip", "targz", "partial", "crash", "loop", "memory", "compile", "hostile", "forge", "junk"]
        let weights = [14, 6, 6, 6, 14, 8, 6, 5, 8, 9, 14, 4]
        let warmup = lessons[0], mlp = lessons[1]
        for i in 0..<count {
            var pick = Int(random.next() % UInt64(weights.reduce(0, +)))
            var kind = kinds.last!
            for (k, w) in zip(kinds, weights) { if pick < w { kind = k; break }; pick -= w }
            let name = String(format: "student%03d", i)
            var files = try reference()
            let lesson = random.next() % 2 == 0 ? warmup : mlp
            let target = "Lessons/\(lesson.slug)/\(lesson.files[Int(random.next() % UInt64(lesson.files.count))])"
            switch kind {
            case "workspace", "flat", "zip", "targz":
                try write(name, files, as: kind)
                entries.append(Entry(name: name + (kind == "zip" ? ".zip" : kind == "targz" ? ".tar.gz" : ""), kind: kind, expectation: .full))
            case "partial":
                let mutants = try Mutant.load(lesson, toolkit: toolkit)
                let mutant = mutants[Int(random.next() % UInt64(mutants.count))]
                let path = "Lessons/\(lesson.slug)/\(mutant.file)"
                files[path] = try mutant.apply(to: files[path]!, lesson: lesson)
                try write(name, files, as: "workspace")
                entries.append(Entry(name: name, kind: "partial: \(mutant.name)", expectation: .partial(lesson: lesson.id)))
            case "crash", "loop", "memory":
                let statement = kind == "crash" ? "fatalError(\"student gave up\")"
                    : kind == "loop" ? "var spin = 1; while spin > 0 { spin = spin % 7 + 1 }"
                    : "var hoard: [[Double]] = []; while hoard.count >= 0 { hoard.append([Double](repeating: 1, count: 1 << 26)) }"
                files[target] = try insert(statement, intoFirstFunctionOf: files[target]!)
                try write(name, files, as: "workspace")
                entries.append(Entry(name: name, kind: "\(kind) in \(target)", expectation: .failing(lesson: lesson.id, status: kind == "loop" ? "timedOut" : kind == "crash" ? "crashed" : "crashed|timedOut")))
            case "compile":
                files[target] = files[target]! + "\nlet broken: Int = \"not a number\"\n"
                try write(name, files, as: "workspace")
                entries.append(Entry(name: name, kind: kind, expectation: .broken(lesson: lesson.id)))
            case "hostile":
                let attack = ["traversal", "absolute", "symlink", "bomb"][Int(random.next() % 4)]
                try writeHostile(name, files, attack: attack)
                entries.append(Entry(name: name + ".zip", kind: "hostile: \(attack)", expectation: .rejected))
            case "forge":
                let attack = ClassroomAttacks.all[Int(random.next() % UInt64(ClassroomAttacks.all.count))]
                files[target] = "import Foundation\n" + (try insert(attack.code(marker, folder), intoFirstFunctionOf: files[target]!))
                try write(name, files, as: "workspace")
                entries.append(Entry(name: name, kind: "forge: \(attack.name)", expectation: .voided(lesson: lesson.id)))
            default:
                let junk = folder.appendingPathComponent(name + ".txt")
                try Data("not a submission".utf8).write(to: junk)
                entries.append(Entry(name: name + ".txt", kind: "junk", expectation: .rejected))
            }
        }
    }

    /// `statement` placed at the start of the first function body of a source file.
    func insert(_ statement: String, intoFirstFunctionOf text: String) throws -> String {
        guard let function = text.range(of: #"\n[ \t]*public (static )?(mutating )?func [^\n]*\{\n"#, options: .regularExpression) else {
            throw CourseError("no function to plant the statement in")
        }
        return text.replacingCharacters(in: function, with: String(text[function]) + "        " + statement + "\n")
    }

    private func write(_ name: String, _ files: [String: String], as layout: String) throws {
        let fm = FileManager.default
        let root = folder.appendingPathComponent(layout == "zip" || layout == "targz" ? ".staging-\(name)" : name)
        for (path, text) in files {
            let target = root.appendingPathComponent(layout == "flat" ? path.replacingOccurrences(of: "Lessons/", with: "") : path)
            try fm.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: target)
        }
        if layout == "zip" {
            var zip = ZipWriter()
            try zip.addFolder(root)
            try zip.write(to: folder.appendingPathComponent(name + ".zip"))
        } else if layout == "targz" {
            let status = try ChildProcess.run("tar", ["czf", folder.appendingPathComponent(name + ".tar.gz").path, "-C", root.path, "."])
            guard status == 0 else { throw CourseError("tar failed") }
        }
        if layout == "zip" || layout == "targz" { try fm.removeItem(at: root) }
    }

    private func writeHostile(_ name: String, _ files: [String: String], attack: String) throws {
        if attack == "bomb" {                     // deflated: 64 MB of zeros in about 64 KB
            var zip = ZipWriter()
            for (path, text) in files.sorted(by: { $0.key < $1.key }) { zip.add(path: path, data: Data(text.utf8)) }
            zip.add(path: "Lessons/zeros.bin", data: Data(count: 64 << 20))
            try zip.write(to: folder.appendingPathComponent(name + ".zip"))
            return
        }
        var zip = RawZip()
        for (path, text) in files.sorted(by: { $0.key < $1.key }) { zip.add(path, Data(text.utf8)) }
        switch attack {
        case "traversal": zip.add("../../escaped-\(name).swift", Data("x".utf8))
        case "absolute": zip.add(marker.path, Data("x".utf8))
        default: zip.add("Lessons/link", Data("/etc".utf8), mode: 0o120777)
        }
        try zip.write(to: folder.appendingPathComponent(name + ".zip"))
    }
}

/// SplitMix64: the corpus's seeded draws.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
