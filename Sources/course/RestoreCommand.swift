import CourseKit
import Foundation

enum RestoreCommand: Command {
    static let name = "restore"
    static let summary = "bring back files from a backup (reset and init make them)"
    static let positionalCount = 0...1
    static let flagOptions: Set<String> = ["list"]
    static let help = """
        usage: course restore [BACKUP] [--list]

        Puts the files of a backup back in their places: BACKUP is a folder name from
        `course restore --list` (e.g. 2026-11-30T11-20-05); without it, the newest backup.
        The versions it replaces are backed up first, so a restore can be undone the same way.

        options:
          --list   show the backups, newest first, with the files each holds
        """

    static func run(_ arguments: Arguments) throws -> Int32 {
        let workspace = try Context.workspace()
        let folder = workspace.root.appendingPathComponent("backups")
        let backups = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { !$0.hasPrefix(".") }.sorted(by: >)
        guard !backups.isEmpty else {
            say("There are no backups yet: `course reset` and `course init` make one before they replace a file.")
            return arguments.flags.contains("list") ? 0 : 1
        }
        if arguments.flags.contains("list") {
            for backup in backups {
                let files = files(in: folder.appendingPathComponent(backup))
                say("\(backup)  \(files.joined(separator: ", "))")
            }
            return 0
        }
        let chosen = arguments.positional.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? backups[0]
        guard backups.contains(chosen) else {
            throw CourseError("there is no backup '\(chosen)'. `course restore --list` shows them; the newest is \(backups[0]).")
        }
        let source = folder.appendingPathComponent(chosen)
        let relative = files(in: source)
        guard !relative.isEmpty else { throw CourseError("the backup \(chosen) holds no files.") }
        let replaced = relative.map { workspace.root.appendingPathComponent($0) }
            .filter { FileManager.default.fileExists(atPath: $0.path) }
        if !replaced.isEmpty {
            let saved = try workspace.backup(replaced)
            say("Your current \(replaced.count == 1 ? "version is" : "versions are") saved in \(saved.path)")
        }
        for path in relative {
            let target = workspace.root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(contentsOf: source.appendingPathComponent(path)).write(to: target, options: .atomic)
            say("Restored \(path) from \(chosen)")
        }
        return 0
    }

    /// The files of a backup, as paths relative to it (and to the workspace).
    static func files(in backup: URL) -> [String] {
        guard let walker = FileManager.default.enumerator(at: backup, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        var found: [String] = []
        for case let url as URL in walker where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            found.append(String(url.standardizedFileURL.path.dropFirst(backup.standardizedFileURL.path.count + 1)))
        }
        return found.sorted()
    }
}
