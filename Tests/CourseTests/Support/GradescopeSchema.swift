import Foundation

/// Gradescope's results.json format, as published in its autograder specification
/// (https://gradescope-autograders.readthedocs.io/en/latest/specs/), written as a checker:
///
///     top level   score (number; required unless every test has one), execution_time (number,
///                 seconds), output (string), output_format, test_output_format, test_name_format
///                 (a format), visibility, stdout_visibility (a visibility), extra_data (object),
///                 tests (array of tests; required unless there is a top-level score),
///                 leaderboard (array of {name: string, value: number or string, order?: "asc"|"desc"})
///     a test      score, max_score (numbers), status ("passed" | "failed"), name (string),
///                 name_format (a format), number (string, "1.1"), output (string),
///                 output_format (a format), tags (array of strings), visibility, extra_data (object)
///     visibility  "hidden" | "after_due_date" | "after_published" | "visible"
///     format      "text" | "html" | "simple_format" | "md" | "ansi"
///
/// Every key is optional but for the score rule; no other key exists (a top-level max_score,
/// say, is not part of the format). On top of the format, a document of this toolkit must add
/// up: each test's 0 ≤ score ≤ max_score, Σ score ≤ Σ max_score, and a top-level score (which
/// overrides the tests' sum on Gradescope) equal to the tests' sum.
enum GradescopeSchema {
    /// A JSON value with its type kept (a number is never read as a boolean or the reverse).
    indirect enum Value: Decodable {
        case null, bool(Bool), number(Double), string(String), array([Value]), object([String: Value])

        init(from decoder: Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() { self = .null }
            else if let value = try? container.decode(Bool.self) { self = .bool(value) }
            else if let value = try? container.decode(Double.self) { self = .number(value) }
            else if let value = try? container.decode(String.self) { self = .string(value) }
            else if let value = try? container.decode([Value].self) { self = .array(value) }
            else { self = .object(try container.decode([String: Value].self)) }
        }

        var number: Double? { if case .number(let n) = self { n } else { nil } }
        var object: [String: Value]? { if case .object(let o) = self { o } else { nil } }
        var array: [Value]? { if case .array(let a) = self { a } else { nil } }
    }

    static let visibilities: Set<String> = ["hidden", "after_due_date", "after_published", "visible"]
    static let formats: Set<String> = ["text", "html", "simple_format", "md", "ansi"]

    /// What kind of value each key takes.
    enum Kind { case number, string, object, visibility, format, status, tags, tests, leaderboard }

    static let topLevel: [String: Kind] = [
        "score": .number, "execution_time": .number, "output": .string, "output_format": .format,
        "test_output_format": .format, "test_name_format": .format, "visibility": .visibility,
        "stdout_visibility": .visibility, "extra_data": .object, "tests": .tests, "leaderboard": .leaderboard,
    ]
    static let testKeys: [String: Kind] = [
        "score": .number, "max_score": .number, "status": .status, "name": .string, "name_format": .format,
        "number": .string, "output": .string, "output_format": .format, "tags": .tags,
        "visibility": .visibility, "extra_data": .object,
    ]

    /// Everything wrong with `data` as a results.json of this toolkit; empty when it is valid.
    static func violations(of data: Data) -> [String] {
        guard let root = try? JSONDecoder().decode(Value.self, from: data) else { return ["not JSON"] }
        guard let document = root.object else { return ["the top level is not an object"] }
        var problems = check(document, keys: topLevel, at: "results")
        let tests = (document["tests"]?.array ?? []).compactMap(\.object)
        for (i, test) in tests.enumerated() {
            problems += check(test, keys: testKeys, at: "tests[\(i)]")
            if let score = test["score"]?.number, let maximum = test["max_score"]?.number, !(0...maximum).contains(score) {
                problems.append("tests[\(i)]: score \(score) is not within 0…max_score \(maximum)")
            }
        }
        if document["score"] == nil && (document["tests"] == nil || tests.contains { $0["score"] == nil }) {
            problems.append("results: no top-level score, and not every test has one")
        }
        let scores = tests.compactMap { $0["score"]?.number }.reduce(0, +)
        let maximums = tests.compactMap { $0["max_score"]?.number }.reduce(0, +)
        if scores > maximums { problems.append("results: the tests' scores add up to \(scores), over their max_score \(maximums)") }
        if let score = document["score"]?.number, !tests.isEmpty, score != scores {
            problems.append("results: score \(score) is not the tests' sum \(scores)")
        }
        return problems
    }

    /// The problems of one object: keys not in `keys`, values not of their kind.
    private static func check(_ object: [String: Value], keys: [String: Kind], at place: String) -> [String] {
        var problems: [String] = []
        for (key, value) in object.sorted(by: { $0.key < $1.key }) {
            guard let kind = keys[key] else { problems.append("\(place): unknown key \"\(key)\""); continue }
            if !matches(value, kind) { problems.append("\(place): \"\(key)\" is not a valid \(kind)") }
        }
        return problems
    }

    private static func matches(_ value: Value, _ kind: Kind) -> Bool {
        switch (kind, value) {
        case (.number, .number(let n)): n.isFinite
        case (.string, .string), (.object, .object): true
        case (.tests, .array(let items)): items.allSatisfy { $0.object != nil }
        case (.visibility, .string(let s)): visibilities.contains(s)
        case (.format, .string(let s)): formats.contains(s)
        case (.status, .string(let s)): s == "passed" || s == "failed"
        case (.tags, .array(let items)): items.allSatisfy { if case .string = $0 { true } else { false } }
        case (.leaderboard, .array(let items)): items.allSatisfy(isLeaderboardEntry)
        default: false
        }
    }

    private static func isLeaderboardEntry(_ value: Value) -> Bool {
        guard let entry = value.object, case .string = entry["name"], Set(entry.keys).isSubset(of: ["name", "value", "order"]) else { return false }
        switch entry["value"] {
        case .number?, .string?: break
        default: return false
        }
        switch entry["order"] {
        case nil: return true
        case .string(let order)?: return order == "asc" || order == "desc"
        default: return false
        }
    }
}
