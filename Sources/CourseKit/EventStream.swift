import Foundation

/// Reads the JSON Lines that Swift Testing writes with `--event-stream-output-path P
/// --event-stream-version 0`: first one `test` record per test, then `event` records
/// (`runStarted`, `testStarted`, `issueRecorded`, `testEnded`, `runEnded`…).
///
/// The file grows while the tests run; `readNew()` returns the records completed since the last
/// call, so a run can be watched live (for time limits) and understood after a crash.
final class EventStreamReader {
    let file: URL
    private var offset = 0
    private var partial = Data()

    init(file: URL) { self.file = file }

    /// The records appended since the last call (complete lines only).
    func readNew() -> [EventRecord] {
        guard let handle = try? FileHandle(forReadingFrom: file) else { return [] }
        defer { try? handle.close() }
        try? handle.seek(toOffset: UInt64(offset))
        guard let data = try? handle.readToEnd(), !data.isEmpty else { return [] }
        offset += data.count
        partial.append(data)
        var records: [EventRecord] = []
        while let newline = partial.firstIndex(of: UInt8(ascii: "\n")) {
            let line = partial[partial.startIndex..<newline]
            partial = Data(partial[(newline + 1)...])
            if let record = try? JSONDecoder().decode(EventRecord.self, from: line) { records.append(record) }
        }
        return records
    }
}

/// One line of the event stream (the fields the grader needs; the rest is ignored).
struct EventRecord: Decodable {
    let kind: String
    let payload: Payload

    struct Payload: Decodable {
        // kind "test"
        let id: String?
        let kind: String
        let name: String?
        let displayName: String?
        // kind "event"
        let testID: String?
        let messages: [Message]?
        let issue: Issue?
    }

    struct Message: Decodable {
        let symbol: String
        let text: String
    }

    struct Issue: Decodable {
        let sourceLocation: SourceLocation?
        let isKnown: Bool?
    }

    struct SourceLocation: Decodable {
        let fileID: String
        let line: Int
    }

    /// For an `issueRecorded` event: the failure message, the comment first when there is one
    /// ("Issue recorded" alone tells a student nothing).
    var issueText: String {
        let messages = payload.messages ?? []
        let main = messages.first { $0.symbol == "fail" }?.text ?? ""
        let details = messages.filter { $0.symbol == "details" }.map(\.text)
        if main == "Issue recorded" || main.isEmpty { return details.joined(separator: "\n") }
        return ([main] + details).joined(separator: "\n")
    }
}
