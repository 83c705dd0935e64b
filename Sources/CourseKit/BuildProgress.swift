import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A one-line live display of a running build on a terminal: what SwiftPM is compiling and how
/// long it has been going, e.g. `  building: [45/129] Compiling NeuralKit Tensor.swift · 23 s`.
/// It reads the build's log (SwiftPM writes a line per step), appears only after two seconds (a
/// quick incremental build shows nothing) and clears itself when stopped. Not on a terminal, it
/// does nothing: logs and pipes get the finished lines only.
final class BuildProgress: @unchecked Sendable {
    private let log: URL
    private let started = Date()
    private let lock = NSLock()
    private var running = true
    private var shown = false
    private var thread: Thread?

    init(log: URL) {
        self.log = log
        guard isatty(STDOUT_FILENO) == 1 else { return }
        let thread = Thread { [weak self] in self?.loop() }
        self.thread = thread
        thread.start()
    }

    private func loop() {
        while true {
            Thread.sleep(forTimeInterval: 0.5)
            lock.lock()
            defer { lock.unlock() }
            guard running else { return }
            let elapsed = Date().timeIntervalSince(started)
            guard elapsed >= 2 else { continue }
            let step = Self.lastStep(in: readText(log)) ?? "planning the build"
            let line = String("  building: \(step) · \(Int(elapsed)) s".prefix(max(20, Terminal.width - 1)))
            FileHandle.standardOutput.write(Data("\r\u{1B}[K\(line)".utf8))
            shown = true
        }
    }

    /// Stops the display and clears its line.
    func stop() {
        lock.lock()
        defer { lock.unlock() }
        running = false
        if shown { FileHandle.standardOutput.write(Data("\r\u{1B}[K".utf8)) }
    }

    /// The last `[n/m] …` step of a SwiftPM log.
    static func lastStep(in log: String) -> String? {
        log.split(separator: "\n").last { $0.hasPrefix("[") && $0.contains("/") }
            .map { String($0).trimmingCharacters(in: .whitespaces) }
    }
}
