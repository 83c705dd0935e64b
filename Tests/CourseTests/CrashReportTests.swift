import Foundation
import Testing
@testable import CourseKit

/// Crash summaries from backtraces as the Swift 6.3 runtime prints them on Linux (shortened).
@Suite struct CrashReportTests {
    /// A workspace in a temporary folder, removed again by `cleanUp` (call it in a `defer`).
    struct Scratch {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("course-crash-\(UUID().uuidString.prefix(8))")
        let harness: Harness

        init() throws {
            let toolkit = try Toolkit(root: CourseCLI.toolkit)
            harness = Harness(workspace: Workspace(root: root, toolkit: toolkit))
        }

        /// Writes a lesson file into the harness, as `course` copies it there before a build.
        func write(_ file: String, _ text: String) throws {
            let url = harness.root.appendingPathComponent("Lessons/00-warmup/\(file)")
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }

        /// A file of the toolkit's lesson 00, as its stub or reference solution.
        func toolkitFile(_ file: String, stub: Bool) throws -> String {
            try String(contentsOf: CourseCLI.toolkit.appendingPathComponent("\(stub ? "Lessons" : "Solutions")/00-warmup/\(file)"), encoding: .utf8)
        }

        /// `template` with LESSONS standing for the harness's lesson folder and KIT for the toolkit.
        func report(_ template: String) -> CrashReport {
            let text = template
                .replacingOccurrences(of: "LESSONS", with: harness.root.appendingPathComponent("Lessons/00-warmup").path)
                .replacingOccurrences(of: "KIT", with: CourseCLI.toolkit.path)
            return CrashReport(output: text, harness: harness)
        }

        func cleanUp() { try? FileManager.default.removeItem(at: root) }
    }

    @Test func aProvidedPreconditionCalledWithBadInputNamesTheStudentsCallThenTheCheck() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        try scratch.write("DotProduct.swift", try scratch.toolkitFile("DotProduct.swift", stub: true))
        let output = """
            ◇ Test "accuracy counts matching predictions" started.
            WarmUp/DotProduct.swift:11: Precondition failed: dot: the vectors have 4 and 3 entries; they must have the same length
            *** Signal 4: Backtracing from 0x7fde66af9361... done ***
            *** Program crashed: Illegal instruction at 0x00007fde66af9361 ***
            Thread 4 "oot.default-qos" crashed:
              0                  0x00007fde66af9361 _assertionFailure(_:_:file:line:flags:) + 225 in libswiftCore.so
              1 [ra]             0x00005568e9d286b5 dot(_:_:) + 660 in CourseHarnessPackageTests.xctest at LESSONS/DotProduct.swift:11:5
              2 [ra]             0x00005568e9d2991a accuracy(predictions:labels:) + 1193 in CourseHarnessPackageTests.xctest at LESSONS/Metrics.swift:31:23
              3 [ra]             0x00005568e9d365c9 MetricsGrader.accuracyExample() + 232 in CourseHarnessPackageTests.xctest at /x/.course/harness/Graders/00-warmup/MetricsGrader.swift:22:21

            Registers:
            """
        #expect(scratch.report(output).summary
                == "crashed: Precondition failed: dot: the vectors have 4 and 3 entries; they must have the same length — Metrics.swift:31 (trapped in dot, DotProduct.swift:11)")
    }

    @Test func aProvidedCheckWrittenOverSeveralLinesIsRecognisedFromItsMessageLine() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        try scratch.write("Metrics.swift", try scratch.toolkitFile("Metrics.swift", stub: true))
        let output = """
            WarmUp/Metrics.swift:23: Precondition failed: accuracy: 3 predictions for 4 labels; they must match
            *** Program crashed: Illegal instruction at 0x00007fde66af9361 ***
            Thread 4 "oot.default-qos" crashed:
              1 [ra]             0x00005568e9d286b5 accuracy(predictions:labels:) + 660 in CourseHarnessPackageTests.xctest at LESSONS/Metrics.swift:24:18
              2 [ra]             0x00005568e9d2991a miniBatches(count:batchSize:seed:) + 1193 in CourseHarnessPackageTests.xctest at LESSONS/MiniBatches.swift:20:9
            """
        #expect(scratch.report(output).location == "MiniBatches.swift:20 (trapped in accuracy, Metrics.swift:24)")
    }

    @Test func aPreconditionTheStudentWroteIsTheirOwnLine() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        // The student's own check, in a line the stub does not have.
        let solution = try scratch.toolkitFile("DotProduct.swift", stub: false)
        try scratch.write("DotProduct.swift", solution.replacingOccurrences(
            of: "    for k in 0..<a.count {", with: "    precondition(a.count < 3, \"mine\")\n    for k in 0..<a.count {"))
        let output = """
            WarmUp/DotProduct.swift:15: Precondition failed: mine
            *** Program crashed: Illegal instruction at 0x00007fde66af9361 ***
            Thread 4 "oot.default-qos" crashed:
              0                  0x00007fde66af9361 _assertionFailure(_:_:file:line:flags:) + 225 in libswiftCore.so
              1 [ra]             0x00005568e9d286b5 dot(_:_:) + 660 in CourseHarnessPackageTests.xctest at LESSONS/DotProduct.swift:15:5
              2 [ra]             0x00005568e9d2991a accuracy(predictions:labels:) + 1193 in CourseHarnessPackageTests.xctest at LESSONS/Metrics.swift:31:23
            """
        #expect(scratch.report(output).summary == "crashed: Precondition failed: mine — DotProduct.swift:15")
    }

    @Test func aTrapInNeuralKitNamesTheStudentsCallThenTheToolkitFunction() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let output = """
            NeuralKit/TensorMatmul.swift:34: Fatal error: matmul: (1, 2) × (3, 2) — inner dimensions 2 and 3 differ
            *** Signal 4: Backtracing from 0x7fc58faf9361... done ***
            *** Program crashed: Illegal instruction at 0x00007fc58faf9361 ***
            Thread 2 "oot.default-qos" crashed:
              0                  0x00007fc58faf9361 _assertionFailure(_:_:file:line:flags:) + 225 in libswiftCore.so
              1 [ra] [inlined]   0x000055acabce027b require(_:_:file:line:) in CourseHarnessPackageTests.xctest at KIT/Sources/NeuralKit/Support/Require.swift:11:9
              2 [ra]             0x000055acabce027b matmul(_:_:transposeA:transposeB:) + 1674 in CourseHarnessPackageTests.xctest at KIT/Sources/NeuralKit/Tensor/TensorMatmul.swift:34:9
              3 [ra]             0x000055acabce027b Tensor.matmul(_:) + 16 in CourseHarnessPackageTests.xctest at KIT/Sources/NeuralKit/Tensor/TensorMatmul.swift:12:9
              4 [ra]             0x000055acabcec388 affine(_:weights:bias:) + 135 in CourseHarnessPackageTests.xctest at LESSONS/Affine.swift:17:14
              5 [ra]             0x000055acabcf027c AffineGrader.lessonExample() + 763 in CourseHarnessPackageTests.xctest at /x/.course/harness/Graders/00-warmup/AffineGrader.swift:9:17
            """
        #expect(scratch.report(output).summary
                == "crashed: Fatal error: matmul: (1, 2) × (3, 2) — inner dimensions 2 and 3 differ — Affine.swift:17 (trapped in matmul, TensorMatmul.swift:34)")
    }

    @Test func theRuntimesOwnTrapsKeepTheirMessage() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let index = """
            Swift/ContiguousArrayBuffer.swift:692: Fatal error: Index out of range
            *** Program crashed: Illegal instruction at 0x00007f475bd6df7f ***
            Thread 4 "oot.default-qos" crashed:
              0                  0x00007f475bd6df7f closure #1 in closure #1 in _assertionFailure(_:_:file:line:flags:) + 623 in libswiftCore.so
              2 [ra]             0x00007f475c382226 specialized Array.subscript.getter + 85 in libswiftSwiftOnoneSupport.so
              3 [ra]             0x0000563b281e3834 dot(_:_:) + 1059 in CourseHarnessPackageTests.xctest at LESSONS/DotProduct.swift:16:26
            """
        #expect(scratch.report(index).summary == "crashed: Fatal error: Index out of range — DotProduct.swift:16")
        // The closure the student passed to NeuralKit's `map` is the student's frame; `map` is outside it.
        let unwrap = """
            WarmUp/Logistic.swift:13: Fatal error: Unexpectedly found nil while unwrapping an Optional value
            *** Program crashed: Illegal instruction at 0x00007fc1e456df7f ***
            Thread 5 "oot.default-qos" crashed:
              1 [ra]             0x00007fc1e46f961f _assertionFailure(_:_:file:line:flags:) + 302 in libswiftCore.so
              2 [ra]             0x0000557214db0981 closure #1 in logistic(_:) + 240 in CourseHarnessPackageTests.xctest at LESSONS/Logistic.swift:13:63
              3 [ra] [inlined]   0x0000557214d9f2f2 specialized Array.withUnsafeMutableBufferPointer<A, B>(_:) in CourseHarnessPackageTests.xctest at KIT/Sources/NeuralKit/Tensor/TensorArithmetic.swift:88:49
              5 [ra]             0x0000557214d9f2f2 Tensor.map(_:) + 161 in CourseHarnessPackageTests.xctest at KIT/Sources/NeuralKit/Tensor/TensorArithmetic.swift:86:17
              6 [ra]             0x0000557214db0a57 logistic(_:) + 150 in CourseHarnessPackageTests.xctest at LESSONS/Logistic.swift:13:14
            """
        #expect(scratch.report(unwrap).summary == "crashed: Fatal error: Unexpectedly found nil while unwrapping an Optional value — Logistic.swift:13")
        let division = """
            Swift/IntegerTypes.swift:9012: Fatal error: Division by zero
            *** Program crashed: Illegal instruction at 0x00007faad696df7f ***
            Thread 4 "oot.default-qos" crashed:
              2 [ra]             0x0000562f578c5629 accuracy(predictions:labels:) + 1272 in CourseHarnessPackageTests.xctest at LESSONS/Metrics.swift:34:27
            """
        #expect(scratch.report(division).summary == "crashed: Fatal error: Division by zero — Metrics.swift:34")
        // An overflow has no message line; the report's header names it. A student's print that
        // looks like a message is not taken for it.
        let overflow = """
            Sample.swift:3: Fatal error: only printed
            *** Signal 4: Backtracing from 0x562d1589160f... done ***
            *** Swift runtime failure: arithmetic overflow ***
            Thread 4 "oot.default-qos" crashed:
              0 [inlined] [system] 0x0000562d1589160f Swift runtime failure: arithmetic overflow in CourseHarnessPackageTests.xctest at //<compiler-generated>
              1                    0x0000562d1589160f miniBatches(count:batchSize:seed:) + 927 in CourseHarnessPackageTests.xctest at LESSONS/MiniBatches.swift:20:9
            """
        #expect(scratch.report(overflow).summary == "crashed: Swift runtime failure: arithmetic overflow — MiniBatches.swift:20")
    }

    @Test func aMessageOfSeveralLinesIsKeptWholeWithTheLocationAfterItsFirstLine() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let output = """
            ◇ Test "mean squared error of the lesson's example is 2" started.
            WarmUp/Metrics.swift:15: Assertion failed: meanSquaredError: first line
            second line of the message

            third line
            *** Signal 4: Backtracing from 0x7f60332f9361... done ***
            *** Program crashed: Illegal instruction at 0x00007f60332f9361 ***
            Thread 4 "oot.default-qos" crashed:
              1 [ra]             0x000055bd2ec0f08b meanSquaredError(_:_:) + 922 in CourseHarnessPackageTests.xctest at LESSONS/Metrics.swift:15:5
            """
        #expect(scratch.report(output).summary
                == "crashed: Assertion failed: meanSquaredError: first line — Metrics.swift:15\nsecond line of the message\n\nthird line")
    }

    @Test func aLongMessageIsCutWithAnEllipsis() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let many = (1...60).map { "line \($0)" }.joined(separator: "\n")
        let lines = scratch.report("X.swift:1: Fatal error: \(many)\n*** Program crashed: Illegal instruction ***\n").reason
        #expect(lines.split(separator: "\n").count == CrashReport.messageLineLimit)
        #expect(lines.hasPrefix("Fatal error: line 1\nline 2\n"))
        #expect(lines.hasSuffix("line 20 …"))
        let wide = scratch.report("X.swift:1: Fatal error: \(String(repeating: "x", count: 5_000))\n").reason
        #expect(wide.count == CrashReport.messageCharacterLimit + 2)
        #expect(wide.hasSuffix("x …"))
    }

    @Test func aSampledLoopIsPlacedOnTheStudentsLineOrFunction() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let sampled = """
            *** Signal 5: Backtracing from 0x560ac2308271... done ***
            *** Program crashed: System trap at 0x00000000000037b8 ***
            Thread 4 "oot.default-qos" crashed:
              0                  0x0000560ac2308271 accuracy(predictions:labels:) + 929 in CourseHarnessPackageTests.xctest at LESSONS/Metrics.swift:32:13
              1 [ra]             0x0000560ac2314f59 MetricsGrader.accuracyExample() + 232 in CourseHarnessPackageTests.xctest at /x/.course/harness/Graders/00-warmup/MetricsGrader.swift:22:21

            Backtrace took 0.27s
            """
        #expect(scratch.report(sampled).studentFrame == "Metrics.swift:32")
        let lineless = sampled.replacingOccurrences(of: "Metrics.swift:32:13", with: "Metrics.swift")
        #expect(scratch.report(lineless).studentFrame == "Metrics.swift (accuracy)")
    }

    @Test func aCrashWithoutAReportIsDescribedByItsSignal() throws {
        let scratch = try Scratch()
        defer { scratch.cleanUp() }
        let silent = "◇ Test \"dot product of [1, 2, 3] and [4, 5, 6] is 32\" started.\n"
        var report = scratch.report(silent)
        report.status = 128 + 11
        #expect(report.summary.hasPrefix("crashed: segmentation fault (signal 11)"))
        report.status = 1
        #expect(report.summary == "crashed: the test process stopped unexpectedly")
    }

    @Test func frameLinesAreReadWithTheirMarksAndNames() {
        let frame = StackFrames.parseFrame("3 [ra] [inlined]   0x0000557214d9f2f2 closure #1 in logistic(_:) + 240 in Some Binary at /a b/Logistic.swift:13:63")
        #expect(frame?.function == "closure #1 in logistic")
        #expect(frame?.path == "/a b/Logistic.swift")
        #expect(frame?.line == 13)
        #expect(frame?.inlined == true)
        #expect(StackFrames.parseFrame("12 [async] 0x00007fde6536fbf0 thunk for @escaping @callee_guaranteed () in libTesting.so")?.path == nil)
        #expect(StackFrames.parseFrame("Registers:") == nil)
        #expect(StackFrames.shortName("specialized Array.withUnsafeBufferPointer<A, B>(_:)") == "Array.withUnsafeBufferPointer")
        #expect(StackFrames.shortName("TwoLayerNetwork.forward(_:)") == "TwoLayerNetwork.forward")
    }

    #if os(Linux)
    @Test func theBusiestThreadOfAProcessGroupIsTheOneRunning() throws {
        let process = try ChildProcess("sh", ["-c", "while :; do :; done"])
        defer { process.killGroup(); process.wait() }
        Thread.sleep(forTimeInterval: 0.3)
        let thread = try #require(StackSampler.busiest(StackSampler.threads(group: process.pid)))
        #expect(thread.process == process.pid)
        #expect(thread.running)
        // A shell has no Swift backtracer: nothing to ask, no report.
        #expect(StackSampler.usableSignal(for: thread) == nil)
        #expect(StackSampler.sample(group: process.pid, output: URL(fileURLWithPath: "/dev/null"), modules: ["WarmUp"]) { false } == nil)
    }
    #endif
}
