import Foundation

/// What graded code may use, checked before any of it runs in a batch grade.
///
/// A student's code runs inside the test process, next to the graders: whatever that process can
/// do, the code can do. So the code is held to safe, self-contained Swift, checked twice:
/// - in its source (`sourceProblems`): only the modules the lesson gives may be imported; no
///   compiler-internal attributes (`@_silgen_name` would declare any C function); no pointer made
///   from a number, no memory read as another type, no function pointers (`bitPattern:`,
///   `unsafeBitCast`, raw pointers, `@convention`, `Unmanaged`…) — typed pointers into the code's own
///   arrays (`withUnsafeBufferPointer`, `baseAddress`), which fast loops use, stay allowed;
/// - in the compiled objects (`symbolProblems`): every outside function the code calls must be
///   computation (the standard library, NeuralKit, the lesson's libraries, math): no files, no
///   processes, no environment or arguments, no signals, no exit, no dynamic loading.
/// Code that cannot name the runner's channels, the workspace's files or another process cannot
/// forge a result through them. A lesson whose code breaks these rules earns 0, with the rule and
/// the line in its report (README: "Threat model").
public enum CapabilityCheck {
    /// Identifiers graded code may not use: the ways to make a pointer from a number, to read
    /// memory as another type, or to free memory it does not own. (Typed pointers into the code's
    /// own arrays — `baseAddress`, `UnsafeMutablePointer<Float>` — stay allowed: fast loops use them.)
    static let forbiddenIdentifiers: Set<String> = [
        "UnsafeRawPointer", "UnsafeMutableRawPointer", "UnsafeRawBufferPointer", "UnsafeMutableRawBufferPointer",
        "OpaquePointer", "AutoreleasingUnsafeMutablePointer", "Unmanaged", "CVaListPointer", "unsafeBitCast",
        "unsafeDowncast", "bitPattern", "convention", "withUnsafeBytes", "withUnsafeMutableBytes", "withMemoryRebound",
        "bindMemory", "assumingMemoryBound", "deallocate", "unsafeUninitializedCapacity", "withUnsafeTemporaryAllocation",
        "withVaList", "unsafeAddress", "unsafeMutableAddress", "unsafe", "unchecked", "dlopen", "dlsym", "mprotect",
        "ptrace", "syscall",
    ]

    /// Modules every lesson's code may import (and the lesson's own `uses`).
    static let allowedModules: Set<String> = ["Foundation", "Dispatch", "NeuralKit", "Swift"]

    /// Problems in one student file's source, each naming the line and the rule.
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - name: its name in the lesson ("Dense.swift").
    ///   - lesson: the lesson (its `uses` may be imported too).
    public static func sourceProblems(_ text: String, name: String, lesson: Lesson) -> [String] {
        var problems: [String] = []
        let allowed = allowedModules.union(lesson.uses)
        for (index, line) in SwiftCode.withoutComments(text).split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let place = "\(name):\(index + 1)"
            if let module = SwiftCode.importedModule(line), !allowed.contains(module) {
                problems.append("\(place) imports \(module): graded code may import only \(allowed.sorted().joined(separator: ", ")).")
            }
            for match in line.matches(of: /@_[A-Za-z_]+/) {
                problems.append("\(place) uses \(match.output), a compiler-internal attribute, which graded code may not use.")
            }
            var seen: Set<String> = []
            for match in line.matches(of: /[A-Za-z_][A-Za-z0-9_]*/) where forbiddenIdentifiers.contains(String(match.output))
                && seen.insert(String(match.output)).inserted {
                problems.append("\(place) uses `\(match.output)`: graded code may not make pointers from numbers, reinterpret memory or free it (typed pointers into its own arrays, such as `withUnsafeBufferPointer`, are allowed).")
            }
        }
        return problems
    }

    // MARK: Compiled code

    /// C functions graded code may call: math, and what the compiler emits for plain Swift.
    static let allowedFunctions: Set<String> = {
        let math = ["exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "pow", "sqrt", "cbrt", "hypot", "sin", "cos",
                    "tan", "asin", "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "erf", "erfc",
                    "lgamma", "tgamma", "fabs", "floor", "ceil", "round", "trunc", "rint", "nearbyint", "fmod", "remainder",
                    "fmin", "fmax", "fma", "copysign", "ldexp", "frexp", "modf", "scalbn", "logb", "nextafter", "lround", "llround"]
        return Set(math + math.map { $0 + "f" } + ["malloc", "calloc", "realloc", "free", "memcpy", "memmove", "memset",
            "memcmp", "bzero", "__stack_chk_fail", "__stack_chk_guard", "_Unwind_Resume", "__muldc3", "__mulsc3"])
    }()

    /// Parts of Swift symbol names graded code may not reach (files, processes, environment, exit,
    /// the test library and the grading machinery, NeuralKit's file writers).
    static let forbiddenSymbolParts = [
        "7Testing", "13CourseGrading", "6XCTest", "9CourseKit", "11FileManager", "10FileHandle", "11ProcessInfo",
        "7ProcessC", "4PipeC", "11CommandLine", "10URLSession", "6BundleC", "3URLV", "5write", "10contentsOf",
        "14contentsOfFile", "4exit", "9terminate", "4save", "17ExperimentOptions", "11SVGDocument",
    ]

    /// What a symbol the compiled code refers to reaches that it may not ("FileHandle", "the C
    /// function `_exit`"), or nil when it is allowed.
    static func symbolProblem(_ symbol: String) -> String? {
        if symbol.hasPrefix("$s") || symbol.hasPrefix("_$s") {
            guard let part = forbiddenSymbolParts.first(where: { symbol.contains($0) }) else { return nil }
            var name = String(part.drop(while: \.isNumber))
            if ["ProcessC", "PipeC", "BundleC"].contains(name) { name.removeLast() }
            if name == "URLV" { name = "URL" }
            return "`\(name)`"
        }
        let name = symbol.hasPrefix("_") && !symbol.hasPrefix("__") && !symbol.hasPrefix("_swift") && !symbol.hasPrefix("_Unwind") ? String(symbol.dropFirst()) : symbol
        if allowedFunctions.contains(name) || name.hasPrefix("swift_") || name.hasPrefix("_swift_") { return nil }
        return "the C function `\(name)`"
    }

    /// Problems in the compiled objects (`*.o`) of a lesson's module, one per source file.
    public static func symbolProblems(objects folder: URL, lesson: Lesson) -> [String] {
        var problems: [String] = []
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { $0.hasSuffix(".o") }.sorted()
        for name in names {
            let file = folder.appendingPathComponent(name)
            let source = name.replacingOccurrences(of: ".o", with: "")
            guard let symbols = ObjectSymbols.undefined(in: file) else {
                problems.append("\(source): its compiled code could not be read, so it cannot be checked; it is not graded.")
                continue
            }
            var reached: [String] = []
            for symbol in symbols {
                if let what = symbolProblem(symbol), !reached.contains(what) { reached.append(what) }
            }
            if !reached.isEmpty {
                problems.append("\(source) uses \(reached.joined(separator: ", ")): graded code may compute, print and use NeuralKit, but not open files, start processes, read the environment or arguments, or end the process, so this lesson earns nothing. Remove those calls.")
            }
        }
        return problems
    }
}

/// Swift source helpers for the capability check and the harness's check on borrowed libraries.
enum SwiftCode {
    /// The module a line imports, if it is an import: `import NeuralBlocks`, `@testable import X`,
    /// `public import X`, `import struct NeuralBlocks.Dense` → "NeuralBlocks"; nil otherwise.
    static func importedModule(_ line: Substring) -> String? {
        let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ";" }).map(String.init)
        guard let at = words.firstIndex(of: "import"), at + 1 < words.count,
              words[..<at].allSatisfy({ $0.hasPrefix("@") || ["public", "internal", "private", "fileprivate", "package"].contains($0) })
        else { return nil }
        let kinds = ["struct", "class", "enum", "protocol", "typealias", "func", "let", "var"]
        let target = kinds.contains(words[at + 1]) && at + 2 < words.count ? words[at + 2] : words[at + 1]
        return target.split(separator: ".").first.map(String.init) ?? target
    }

    /// `text` with its comments replaced by spaces (line breaks kept, so lines keep their numbers).
    /// String literals are kept as they are — they can hold code (`"\(…)"`) — but a `//` inside
    /// one does not start a comment.
    static func withoutComments(_ text: String) -> String {
        var out: [Character] = []
        let c = Array(text)
        var i = 0
        var depth = 0            // nesting of /* */
        var inString = false
        var multiline = false
        while i < c.count {
            let next: Character? = i + 1 < c.count ? c[i + 1] : nil
            if depth > 0 {
                if c[i] == "*" && next == "/" { depth -= 1; out += "  "; i += 2; continue }
                if c[i] == "/" && next == "*" { depth += 1; out += "  "; i += 2; continue }
                out.append(c[i] == "\n" ? "\n" : " "); i += 1; continue
            }
            if inString {
                if c[i] == "\\", i + 1 < c.count { out += [c[i], c[i + 1]]; i += 2; continue }
                if multiline, c[i] == "\"", i + 2 < c.count, c[i + 1] == "\"", c[i + 2] == "\"" { inString = false; out += "\"\"\""; i += 3; continue }
                if !multiline, c[i] == "\"" || c[i] == "\n" { inString = false }
                out.append(c[i]); i += 1; continue
            }
            if c[i] == "/" && next == "/" {
                while i < c.count, c[i] != "\n" { out.append(" "); i += 1 }
                continue
            }
            if c[i] == "/" && next == "*" { depth = 1; out += "  "; i += 2; continue }
            if c[i] == "\"" {
                inString = true
                multiline = i + 2 < c.count && c[i + 1] == "\"" && c[i + 2] == "\""
                if multiline { out += "\"\"\""; i += 3; continue }
            }
            out.append(c[i]); i += 1
        }
        return String(out)
    }
}
