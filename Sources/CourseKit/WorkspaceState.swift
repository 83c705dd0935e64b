import Foundation

/// What the workspace remembers between commands: the latest grade of each lesson and how many
/// hints were shown. Kept in `.course/state.json`.
public struct WorkspaceState: Codable, Sendable {
    public var results: [String: LessonResult] = [:]
    public var hintsShown: [String: Int] = [:]

    public init() {}

    static func file(_ workspace: Workspace) -> URL { workspace.stateFolder.appendingPathComponent("state.json") }

    /// The saved state (empty if none, or if the file is unreadable: it is only a cache of grades).
    public static func load(_ workspace: Workspace) -> WorkspaceState {
        guard let data = try? Data(contentsOf: file(workspace)) else { return WorkspaceState() }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return (try? decoder.decode(WorkspaceState.self, from: data)) ?? WorkspaceState()
    }

    public func save(_ workspace: Workspace) throws {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileManager.default.createDirectory(at: workspace.stateFolder, withIntermediateDirectories: true)
        try encoder.encode(self).write(to: WorkspaceState.file(workspace), options: .atomic)
    }
}
