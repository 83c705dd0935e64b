import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one-line progress bar of a training epoch, as the lessons' experiments print it:
///
///       epoch 1/3 [██████████████················]  27392/59000   51774 images/s  loss 0.1609
///
/// On a terminal it is redrawn in place (at most every 0.1 s); otherwise only `finish` prints it,
/// once per epoch, so logs stay short. The loss shown is the mean of the last 20 batches.
public struct TrainingProgressBar {
    /// Examples in the epoch.
    public let total: Int
    /// What the line starts with, e.g. "epoch 1/3".
    public let label: String
    /// Whether standard output is a terminal (the bar is then redrawn in place).
    public static let isTerminal = isatty(STDOUT_FILENO) != 0
    private let started = Date()
    private var lastDraw = Date.distantPast
    /// The loss of every batch so far.
    public private(set) var losses: [Float] = []

    public init(total: Int, label: String) {
        self.total = total
        self.label = label
    }

    /// Records a batch's loss after `done` examples of the epoch, and redraws on a terminal.
    public mutating func update(done: Int, loss: Float) {
        losses.append(loss)
        guard Self.isTerminal, done == total || Date().timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = Date()
        print("\r" + line(done: done), terminator: "")
        fflush(nil)
    }

    /// The bar's text after `done` examples.
    public func line(done: Int) -> String {
        let width = 30
        let filled = total > 0 ? Swift.min(width, width * done / total) : width
        let seconds = Date().timeIntervalSince(started)
        let rate = seconds > 0 ? Double(done) / seconds : 0
        let recent = losses.suffix(20)
        let loss = recent.isEmpty ? Float.nan : recent.reduce(0, +) / Float(recent.count)
        return "  \(label) [\(String(repeating: "█", count: filled))\(String(repeating: "·", count: width - filled))] "
            + "\(done)/\(total)  \(String(format: "%6.0f", rate)) images/s  loss \(String(format: "%.4f", loss))"
    }

    /// Prints the final line of the epoch (ending the redrawn line on a terminal).
    public func finish(done: Int) {
        print((Self.isTerminal ? "\r" : "") + line(done: done))
    }
}
