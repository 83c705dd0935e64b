import Foundation
import NeuralKit
import Testing

/// The points a grader check is worth, declared next to the check:
///
///     @Test("sigmoid is ½ at 0", .points(2))
///     func sigmoidAtZero() { … }
///
/// The trait also does the grading bookkeeping around the check:
/// - before it runs, it forgets earlier stub notes (`StubLog.reset()`);
/// - it tells the `course` tool which check is starting and what it is worth, through the results
///   channel (a file named by `COURSE_GRADING_CHANNEL`; nothing student code prints reaches it);
/// - it runs the check once per seed of the run (`GradingSeed`; one seed unless `course verify`
///   asks for several);
/// - after it runs, if student code reached a stub, it records "not implemented yet (File.swift:12)".
public struct Points: TestTrait, TestScoping, Sendable {
    /// What the check is worth when it passes.
    public let value: Int

    public func provideScope(for test: Test, testCase: Test.Case?,
                             performing function: @Sendable () async throws -> Void) async throws {
        GradingChannel.announce(test: test, points: value)
        StubLog.reset()
        await GradingSeed.forEachSeed {
            do {
                try await function()
            } catch {
                Issue.record(Comment(rawValue: "threw an error: \(error)" + GradingSeed.messageSuffix),
                             sourceLocation: test.sourceLocation)
            }
        }
        let stubs = StubLog.hits
        if !stubs.isEmpty {
            Issue.record(
                Comment(rawValue: "\(GradingChannel.notImplementedPrefix) (\(stubs.map(\.description).joined(separator: ", ")))"),
                sourceLocation: test.sourceLocation)
        }
    }
}

extension Trait where Self == Points {
    /// The points the check is worth, e.g. `@Test("…", .points(2))`.
    public static func points(_ value: Int) -> Self { Points(value: value) }
}

/// The structured channel from graders to the `course` tool: one JSON line per check that starts,
/// `{"id": "…", "points": 2}`, appended to the file named by `COURSE_GRADING_CHANNEL`.
/// Outside a `course grade` run (a plain `swift test`) the variable is unset and nothing is written.
public enum GradingChannel {
    /// The start of the message a check gets when it reaches a stub.
    public static let notImplementedPrefix = "not implemented yet"
    /// The environment variable naming the channel file.
    public static let environmentKey = "COURSE_GRADING_CHANNEL"

    /// One line of the channel.
    public struct Record: Codable, Sendable {
        public let id: String
        public let points: Int
    }

    private static let lock = NSLock()

    static func announce(test: Test, points: Int) {
        guard let path = ProcessInfo.processInfo.environment[environmentKey], !path.isEmpty,
              let data = try? JSONEncoder().encode(Record(id: "\(test.id)", points: points))
        else { return }
        lock.lock()
        defer { lock.unlock() }
        guard let handle = FileHandle(forWritingAtPath: path) else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: data + Data("\n".utf8))
    }
}
