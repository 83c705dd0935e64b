import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Output styling: colours only when writing to a terminal and `NO_COLOR` is not set
/// (https://no-color.org).
public enum Terminal {
    public static let useColour: Bool = {
        let environment = ProcessInfo.processInfo.environment
        if let value = environment["NO_COLOR"], !value.isEmpty { return false }
        if environment["TERM"] == "dumb" { return false }
        return isatty(STDOUT_FILENO) == 1
    }()

    static func paint(_ text: String, _ code: String) -> String {
        useColour ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
    public static func green(_ text: String) -> String { paint(text, "32") }
    public static func red(_ text: String) -> String { paint(text, "31") }
    public static func yellow(_ text: String) -> String { paint(text, "33") }
    public static func bold(_ text: String) -> String { paint(text, "1") }
    public static func dim(_ text: String) -> String { paint(text, "2") }

    /// A bar like `███████░░░░░░░` for `fraction` ∈ [0, 1].
    public static func progressBar(_ fraction: Double, width: Int = 20) -> String {
        let filled = Int((max(0, min(1, fraction)) * Double(width)).rounded())
        return String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
    }

    /// Whether a person can answer a question: standard input and output are terminals.
    public static var isInteractive: Bool { isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1 }

    /// The terminal's width in columns: `COLUMNS` if set, else what the terminal says, else 100
    /// (output into a file or a pipe).
    public static var width: Int {
        if let text = ProcessInfo.processInfo.environment["COLUMNS"], let columns = Int(text), columns >= 20 { return columns }
        #if canImport(Glibc) || canImport(Darwin)
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col >= 20 { return Int(size.ws_col) }
        #endif
        return 100
    }

    /// Asks a yes/no question on the terminal. - Returns: true only for an answer starting with y.
    public static func confirm(_ question: String) -> Bool {
        FileHandle.standardOutput.write(Data((question + " [y/N] ").utf8))
        guard let answer = readLine() else { return false }
        return answer.trimmingCharacters(in: .whitespaces).lowercased().hasPrefix("y")
    }

    /// Writes a line to standard error.
    public static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
