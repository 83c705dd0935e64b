import CourseKit
import Foundation

/// A subcommand of `course`: its name, its help text (shown by `course help NAME` and
/// `course NAME --help`), and what it does.
protocol Command {
    static var name: String { get }
    /// One line for the command list.
    static var summary: String { get }
    /// The full help: usage line, description, options.
    static var help: String { get }
    /// The help for these arguments (a command may explain more once it knows, e.g., the lesson).
    static func help(for arguments: [String]) -> String
    /// Options that take a value (`--seed 3`) and options that are flags (`--all`).
    static var valueOptions: Set<String> { get }
    static var flagOptions: Set<String> { get }
    /// How many positional arguments (lessons, files, a folder) the command takes.
    static var positionalCount: ClosedRange<Int> { get }
    /// Splits the raw arguments; a command may accept options beyond its fixed list.
    static func parse(_ raw: [String]) throws -> Arguments
    /// Runs the command. - Returns: the exit status.
    static func run(_ arguments: Arguments) throws -> Int32
}

extension Command {
    static func help(for arguments: [String]) -> String { help }
    static var valueOptions: Set<String> { [] }
    static var flagOptions: Set<String> { [] }
    static var positionalCount: ClosedRange<Int> { 0...Int.max }
    static func parse(_ raw: [String]) throws -> Arguments {
        let arguments = try Arguments(raw, command: name, valueOptions: valueOptions, flagOptions: flagOptions)
        try arguments.expectPositionalCount(positionalCount, command: name)
        return arguments
    }
}

/// Command-line arguments split into positional values, `--option value` pairs and `--flags`.
struct Arguments {
    var positional: [String] = []
    var options: [String: String] = [:]
    var flags: Set<String> = []

    /// Parses `raw`, knowing which names take a value; anything else starting with `--` is a flag.
    /// Unknown names are reported with the command's help.
    init(_ raw: [String], command: String, valueOptions: Set<String> = [], flagOptions: Set<String> = [],
         acceptAnyOption: Bool = false) throws {
        var i = 0
        while i < raw.count {
            let item = raw[i]
            if item == "--help" || item == "-h" { flags.insert("help"); i += 1; continue }
            if item.hasPrefix("--") {
                var name = String(item.dropFirst(2))
                var value: String? = nil
                if let eq = name.firstIndex(of: "=") {
                    value = String(name[name.index(after: eq)...])
                    name = String(name[..<eq])
                }
                if valueOptions.contains(name) || (acceptAnyOption && !flagOptions.contains(name) && (value != nil || (i + 1 < raw.count && !raw[i + 1].hasPrefix("--")))) {
                    if value == nil {
                        guard i + 1 < raw.count, !raw[i + 1].hasPrefix("--") else {
                            throw CourseError("--\(name) needs a value, e.g. `--\(name) 3`. See `course \(command) --help`.")
                        }
                        value = raw[i + 1]
                        i += 1
                    }
                    options[name] = value
                } else if flagOptions.contains(name) || acceptAnyOption {
                    flags.insert(name)
                } else {
                    throw CourseError("`course \(command)` has no option --\(name). See `course \(command) --help`.")
                }
            } else {
                positional.append(item)
            }
            i += 1
        }
    }

    var wantsHelp: Bool { flags.contains("help") }

    /// Rejects a wrong number of positional arguments, naming the stray one (`steps=100` is most
    /// likely an option written without its dashes).
    func expectPositionalCount(_ range: ClosedRange<Int>, command: String) throws {
        // Too few is left to each command, whose message says what to name.
        if positional.count > range.upperBound {
            let stray = positional[range.upperBound]
            if let eq = stray.firstIndex(of: "="), !stray.hasPrefix("-") {
                throw CourseError("unexpected argument '\(stray)': options are written with two dashes, e.g. `--\(stray[..<eq]) \(stray[stray.index(after: eq)...])`. See `course \(command) --help`.")
            }
            throw CourseError("unexpected argument '\(stray)'. See `course \(command) --help`.")
        }
    }

    /// A numeric option, with a clear message when it is not a number.
    func double(_ name: String) throws -> Double? {
        guard let text = options[name] else { return nil }
        guard let value = Double(text), value > 0 else {
            throw CourseError("--\(name) takes a positive number of seconds, got '\(text)'.")
        }
        return value
    }
}

/// What every command needs: the toolkit, and the workspace around the current directory.
enum Context {
    static func toolkit() throws -> Toolkit { try Toolkit.locate() }
    static func workspace() throws -> Workspace { try Workspace.current(toolkit: toolkit()) }
}

func say(_ text: String) { FileHandle.standardOutput.write(Data((text + "\n").utf8)) }
