import CourseKit
import Foundation

/// The batch-grading load test: generates a class (`ClassroomCorpus`: lessons 00 and 03, the
/// training-heavy one), grades it with the real `course grade --submissions`, checks that every
/// submission is accounted for, attributed to the right student and graded at what its honest
/// behaviour earns (forging ones at 0 for their lesson, nothing escaping), and prints throughput
/// and peak memory.
///
///     swift build && swift run -c release course-bench classroom [--students 100] [--jobs 2] [--seed 1]
///                                                               [--interrupt-after N]
///
/// With `--interrupt-after N` the batch is interrupted (SIGINT, as Ctrl-C) once N records exist,
/// then run again: the second run must take those over and grade the rest.
///
/// The corpus and the report stay in a temporary folder whose path is printed.
enum ClassroomBenchmark {
    static func run(_ arguments: [String]) {
        let count = positiveInteger(arguments, "--students", 100)
        let jobs = positiveInteger(arguments, "--jobs", ProcessInfo.processInfo.activeProcessorCount)
        let seed = UInt64(positiveInteger(arguments, "--seed", 1))
        let toolkitRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var course = toolkitRoot.appendingPathComponent(".build/debug/course").path
        if let i = arguments.firstIndex(of: "--course"), i + 1 < arguments.count { course = arguments[i + 1] }
        guard FileManager.default.isExecutableFile(atPath: course), let toolkit = try? Toolkit(root: toolkitRoot) else {
            print("classroom: no `course` binary at \(course). Build it first (`swift build`) or pass --course PATH.")
            exit(1)
        }
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("course-classroom-\(seed)")
        try? FileManager.default.removeItem(at: root)
        let subs = root.appendingPathComponent("submissions"), report = root.appendingPathComponent("report")
        let marker = root.appendingPathComponent("escaped")
        var corpus = ClassroomCorpus(toolkit: toolkit, folder: subs, marker: marker)
        do {
            try FileManager.default.createDirectory(at: subs, withIntermediateDirectories: true)
            try corpus.generate(count: count, seed: seed)
        } catch {
            print("classroom: could not make the corpus: \(error)")
            exit(1)
        }
        var kinds: [String: Int] = [:]
        for entry in corpus.entries { kinds[String(entry.kind.prefix { $0 != ":" && $0 != " " }), default: 0] += 1 }
        print("corpus: \(count) submissions in \(subs.path)")
        print("  " + kinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))

        let started = Date()
        let log = root.appendingPathComponent("grade.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try! FileHandle(forWritingTo: log)
        var peak: UInt64 = 0
        /// Runs the batch; with `stopAfter`, interrupts it (SIGINT, as Ctrl-C) once that many records exist.
        func grade(stopAfter: Int?) -> Int32 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: course)
            process.arguments = ["grade", "00", "03", "--submissions", subs.path, "--report", report.path, "--jobs", "\(jobs)", "--seed", "\(seed)"]
            process.environment = ProcessInfo.processInfo.environment.merging(["COURSE_TOOLKIT": toolkitRoot.path, "NO_COLOR": "1"]) { $1 }
            process.standardOutput = handle
            process.standardError = handle
            try! process.run()
            while process.isRunning {
                peak = max(peak, MemorySampler.treeResidentBytes(root: process.processIdentifier))
                if let stopAfter, records() >= stopAfter { process.interrupt(); process.waitUntilExit(); break }
                Thread.sleep(forTimeInterval: 0.5)
            }
            process.waitUntilExit()
            return process.terminationStatus
        }
        func records() -> Int { ((try? FileManager.default.contentsOfDirectory(atPath: report.appendingPathComponent("students").path)) ?? []).count }
        var status: Int32
        if let i = arguments.firstIndex(of: "--interrupt-after"), i + 1 < arguments.count, let n = Int(arguments[i + 1]) {
            _ = grade(stopAfter: n)
            let kept = records()
            print("interrupted (SIGINT) with \(kept) records written; resuming")
            status = grade(stopAfter: nil)
            let reused = String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self).components(separatedBy: "(done before)").count - 1
            print("resumed run: \(reused) students taken from the interrupted run, \(count - reused) graded")
        } else {
            status = grade(stopAfter: nil)
        }
        print("grading: exit \(status), log in \(log.path)")
        let seconds = Date().timeIntervalSince(started)
        Thread.sleep(forTimeInterval: 4)                    // the detached processes' delay, had they survived
        let failures = ClassroomVerdict.check(corpus, report: report, marker: marker)
        print(String(format: "%d submissions in %.0f s on %d jobs: %.1f submissions per minute", count, seconds, jobs, Double(count) / seconds * 60))
        print(String(format: "peak memory of the grading (all processes at once, sampled every 0.5 s): %.2f GB", Double(peak) / 1e9))
        if failures.isEmpty {
            print("verdict: every submission accounted for and graded as its honest behaviour earns")
        } else {
            print("verdict: \(failures.count) problem(s):")
            for failure in failures { print("  ✘ " + failure) }
            exit(1)
        }
    }
}

/// The resident memory of a process and all its descendants (Linux, /proc).
enum MemorySampler {
    static func treeResidentBytes(root: Int32) -> UInt64 {
        var parents: [Int32: Int32] = [:]
        var resident: [Int32: UInt64] = [:]
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 22, let parent = Int32(fields[1]), let pages = UInt64(fields[21]) else { continue }
            parents[pid] = parent
            resident[pid] = pages * 4096
        }
        var total: UInt64 = 0
        for (pid, bytes) in resident {
            var p = pid
            for _ in 0..<64 {
                if p == root { total += bytes; break }
                guard let parent = parents[p], parent > 1 else { break }
                p = parent
            }
        }
        return total
    }
}
