import Foundation
import Testing

/// A grade draws fresh inputs from a seed it prints; `--seed S` repeats the run exactly.
extension CLIEndToEnd {
@Suite struct SeedEndToEndTests {
    /// The lines of a report about one check (its title line and the messages under it).
    static func messages(of title: String, in output: String) -> [String] {
        let lines = output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { $0.contains(title) }) else { return [] }
        return Array(lines[(start + 1)...].prefix { $0.hasPrefix("      ") || $0.hasPrefix("        ") })
    }

    @Test func aReportPrintsItsSeedAndTheSeedRepeatsTheRun() throws {
        try SharedWorkspace.install(stub: false)
        // A bias scaled by 1.5: wrong on every input, so the fresh inputs show in the messages.
        try SharedWorkspace.edit("Affine.swift", replacing: "return x.matmul(weights) + bias", with: "return x.matmul(weights) + bias * 1.5")
        let fresh = try SharedWorkspace.course("grade", "00")
        let printed = fresh.output.range(of: #"seed \d+ — "#, options: .regularExpression).map { String(fresh.output[$0]) }
        #expect(printed != nil, "no seed in the report:\n\(fresh.output)")

        let first = try SharedWorkspace.course("grade", "00", "--seed", "7")
        let again = try SharedWorkspace.course("grade", "00", "--seed", "7")
        let other = try SharedWorkspace.course("grade", "00", "--seed", "8")
        #expect(first.output.contains("seed 7 — the checks drew fresh inputs from it; `course grade 00 --seed 7` repeats this run"), "\(first.output)")
        let title = "adds the bias to every row"
        let (a, b, c) = (Self.messages(of: title, in: first.output), Self.messages(of: title, in: again.output),
                         Self.messages(of: title, in: other.output))
        #expect(!a.isEmpty, "the planted bug was not reported:\n\(first.output)")
        #expect(a == b, "the same seed gave different reports:\n\(a.joined(separator: "\n"))\n---\n\(b.joined(separator: "\n"))")
        #expect(a != c, "seeds 7 and 8 gave the same inputs:\n\(a.joined(separator: "\n"))")
    }
}
}
