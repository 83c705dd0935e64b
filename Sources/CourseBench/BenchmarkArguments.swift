// Reading a benchmark's `--name N` options.
import Foundation

/// `--name N` among a benchmark's arguments: N, or `fallback` when the option is absent. A value
/// that is missing or not a positive integer ends the benchmark with a message naming the option.
func positiveInteger(_ arguments: [String], _ name: String, _ fallback: Int) -> Int {
    guard let i = arguments.firstIndex(of: name) else { return fallback }
    guard i + 1 < arguments.count, let value = Int(arguments[i + 1]), value > 0 else {
        FileHandle.standardError.write(Data("course-bench: \(name) takes a positive whole number, e.g. \(name) \(fallback)\n".utf8))
        exit(1)
    }
    return value
}
