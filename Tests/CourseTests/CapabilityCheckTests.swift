import Foundation
import Testing
@testable import CourseKit

/// The capability check must accept every reference solution (compiled code included) and refuse
/// each way of reaching outside the computation.
@Suite struct CapabilityCheckTests {
    let toolkit = try! Toolkit(root: CourseCLI.toolkit)

    /// The build folder of this test run (the reference solutions' modules are compiled there).
    var buildFolder: URL {
        #if os(Linux)
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: exe).deletingLastPathComponent()
        }
        #endif
        return CourseCLI.executable.deletingLastPathComponent()
    }

    @Test("every reference solution's source passes the capability check")
    func solutionsSourcesPass() throws {
        for lesson in toolkit.lessons {
            for file in lesson.files {
                let text = try String(contentsOf: toolkit.solution(lesson, file), encoding: .utf8)
                let problems = CapabilityCheck.sourceProblems(text, name: file, lesson: lesson)
                #expect(problems.isEmpty, "\(lesson.slug)/\(file): \(problems)")
            }
        }
    }

    @Test("every correct rewrite (variants.json) passes the capability check: correct code written differently is not voided")
    func variantsPass() throws {
        var count = 0
        for lesson in toolkit.lessons {
            for variant in try Mutant.loadVariants(lesson, toolkit: toolkit) {
                let text = try variant.apply(to: String(contentsOf: toolkit.solution(lesson, variant.file), encoding: .utf8), lesson: lesson)
                let problems = CapabilityCheck.sourceProblems(text, name: variant.file, lesson: lesson)
                #expect(problems.isEmpty, "\(lesson.slug) variant “\(variant.name)”: \(problems)")
                count += 1
            }
        }
        #expect(count >= 8 * toolkit.lessons.count)
    }

    @Test("every reference solution's compiled code calls only what graded code may call")
    func solutionsObjectsPass() throws {
        var checked = 0
        for lesson in toolkit.lessons {
            let objects = buildFolder.appendingPathComponent("\(lesson.module).build")
            guard FileManager.default.fileExists(atPath: objects.path) else { continue }
            checked += 1
            let problems = CapabilityCheck.symbolProblems(objects: objects, lesson: lesson)
            #expect(problems.isEmpty, "\(lesson.slug): \(problems)")
        }
        #if os(Linux)
        #expect(checked == toolkit.lessons.count, "the solutions' objects were not found in \(buildFolder.path)")
        #endif
    }

    @Test("forbidden imports, attributes and raw-memory operations are reported with their line")
    func sourceAttacks() throws {
        let lesson = try toolkit.lesson(named: "00")
        let cases: [(String, String)] = [
            ("import Glibc", "imports Glibc"),
            ("import Testing", "imports Testing"),
            ("@testable import CourseGrading", "imports CourseGrading"),
            ("import func Darwin.exit", "imports Darwin"),
            ("@_silgen_name(\"write\") func w(_ fd: Int32) -> Int", "@_silgen_name"),
            ("let p = UnsafeMutablePointer<Int>(bitPattern: 0x1000)", "bitPattern"),
            ("a.withUnsafeBytes { $0.load(as: Int.self) }", "withUnsafeBytes"),
            ("let f: @convention(c) (Int32) -> Void = g", "convention"),
            ("let n = unsafeBitCast(f, to: Int.self)", "unsafeBitCast"),
            ("nonisolated(unsafe) var shared = 0", "unsafe"),
            ("let s = \"\\(unsafeBitCast(1, to: UInt.self))\"", "unsafeBitCast"),
            ("let u = \"// not a comment\"; let q = Unmanaged.passUnretained(x)", "Unmanaged"),
        ]
        for (code, expected) in cases {
            let problems = CapabilityCheck.sourceProblems("// header\n" + code + "\n", name: "DotProduct.swift", lesson: lesson)
            #expect(problems.contains { $0.contains(expected) && $0.hasPrefix("DotProduct.swift:2") }, "\(code) → \(problems)")
        }
    }

    @Test("comments and allowed buffer pointers are not reported")
    func sourceAllowed() throws {
        let lesson = try toolkit.lesson(named: "04")
        let code = """
            import Foundation
            import NeuralKit
            import NeuralBlocks
            // baseAddress, unsafeBitCast and import Glibc in a comment are fine
            /* nested /* unsafe */ UnsafeRawPointer */
            func f(_ a: [Float]) -> Float { a.withUnsafeBufferPointer { p in p.reduce(0, +) } }
            func g(_ a: [Float]) -> Float { a.withUnsafeBufferPointer { p in p.baseAddress.map { $0[0] } ?? 0 } }
            """
        #expect(CapabilityCheck.sourceProblems(code, name: "Conv2D.swift", lesson: lesson).isEmpty)
        let warmup = try toolkit.lesson(named: "00")
        #expect(!CapabilityCheck.sourceProblems("import NeuralBlocks\n", name: "DotProduct.swift", lesson: warmup).isEmpty,
                "lesson 00 does not use NeuralBlocks")
    }

    @Test("symbols: files, processes, environment, exit and the test library are refused; math and tensors are not")
    func symbolPolicy() {
        let refused = [
            "$ss11CommandLineO9argumentsSaySSGvgZ", "_exit", "exit", "write", "open", "dlsym", "kill", "posix_spawn",
            "$s10Foundation10FileHandleC16forWritingAtPathACSgSS_tcfC", "$s20FoundationEssentials11ProcessInfoC07processD0ACvau",
            "$s10Foundation7ProcessCACycfC", "$sSS10FoundationE5write6toFile10atomically8encodingySS_SbSSAAE8EncodingVtKF",
            "$s7Testing5IssueV6record", "$s13CourseGrading12GradingSeedO", "$s9NeuralKit17ExperimentOptionsV4saveyyAA11SVGDocumentV_SStF",
        ]
        for symbol in refused { #expect(CapabilityCheck.symbolProblem(symbol) != nil, "\(symbol) should be refused") }
        let allowed = [
            "expf", "sqrt", "memcpy", "swift_retain", "$sSS10FoundationE6format_S2Sh_s7CVarArg_pdtcfC",
            "$s9NeuralKit6TensorV5shapeSaySiGvg", "$sSa6appendyyxnF", "$s12NeuralBlocks5DenseV",
        ]
        for symbol in allowed { #expect(CapabilityCheck.symbolProblem(symbol) == nil, "\(symbol) should be allowed") }
    }
}
