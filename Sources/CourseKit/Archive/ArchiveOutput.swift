import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes extracted entries under one destination folder and nowhere else, and keeps the
/// count against the limits.
///
/// Every path is checked as text first (no `..`, no absolute path, no backslash or NUL), then
/// created one component at a time relative to its parent's descriptor: folders are opened with
/// O_NOFOLLOW | O_DIRECTORY and files created with O_CREAT | O_EXCL | O_NOFOLLOW, so a symbolic link
/// already on disk is never followed and no file is ever overwritten. Folders get mode 0755, files
/// 0644, whatever the archive says. With T the bytes written so far and A the archive's size,
/// writing stops as soon as T > maxTotalBytes or T > maxRatio · A, or one file exceeds maxEntryBytes.
final class ArchiveOutput {
    let problem: ArchiveProblem
    let limits: ArchiveLimits
    /// A, the archive file's size in bytes.
    let archiveBytes: UInt64
    /// The relative paths extracted so far, in archive order.
    private(set) var paths: [String] = []
    private var seen: Set<String> = []
    /// T, the bytes of files written so far.
    private var total: UInt64 = 0
    private var entries = 0
    private let root: Int32

    /// - Parameters:
    ///   - destination: the folder to extract into; it exists and is empty.
    ///   - limits: what the archive may hold.
    ///   - archiveBytes: A, the size of the archive file.
    ///   - problem: names the archive in messages.
    init(destination: URL, limits: ArchiveLimits, archiveBytes: UInt64, problem: ArchiveProblem) throws {
        self.limits = limits
        self.archiveBytes = archiveBytes
        self.problem = problem
        root = open(destination.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard root >= 0 else { throw CourseError("Cannot open \(destination.path): \(String(cString: strerror(errno))).") }
    }

    deinit { close(root) }

    /// A file being written: its descriptor, path and size so far.
    final class File {
        let descriptor: Int32
        let path: String
        var written: UInt64 = 0
        init(descriptor: Int32, path: String) { self.descriptor = descriptor; self.path = path }
        deinit { close(descriptor) }
    }

    /// The components of the archive name `name`, checked; nil for the destination itself (".", "./").
    /// "a//./b/" → ["a", "b"]; "../x", "a/../../x", "/etc/x", "a\\b" throw.
    func components(of name: String) throws -> [String]? {
        if name.contains("\0") { throw problem.entry(name, "has a NUL character in its name") }
        if name.contains("\\") {
            throw problem.entry(name, "has a backslash in its name (Windows paths are not accepted)",
                                "Make the archive with `zip` or `tar` on macOS or Linux, or rename the file.")
        }
        if name.hasPrefix("/") { throw problem.entry(name, "has an absolute path, which would be written outside the destination") }
        let parts = name.split(separator: "/", omittingEmptySubsequences: true).map(String.init).filter { $0 != "." }
        if parts.contains("..") { throw problem.entry(name, "has '..' in its path, which would be written outside the destination") }
        if name.utf8.count > 1024 || parts.contains(where: { $0.utf8.count > 255 }) {
            throw problem.entry(name, "has a path too long (over 1024 bytes, or a name over 255)")
        }
        return parts.isEmpty ? nil : parts
    }

    /// Counts one more entry and checks that `path` was not seen before.
    private func claim(_ path: String) throws {
        entries += 1
        if entries > limits.maxEntries {
            throw problem.entry(path, "is one too many: the archive has more than \(limits.maxEntries) files and folders",
                                "Leave build products (.build) and data sets out of the archive.")
        }
        if !seen.insert(path).inserted { throw problem.entry(path, "appears twice in the archive") }
        paths.append(path)
    }

    /// Creates the folder `name` (an archive entry).
    func addFolder(_ name: String) throws {
        guard let parts = try components(of: name) else { return }
        let path = parts.joined(separator: "/")
        try claim(path)
        close(try openFolder(parts[...], path: path))
    }

    /// Creates the empty file `name` (with its missing parent folders) and returns it for `write`.
    func createFile(_ name: String) throws -> File {
        guard let parts = try components(of: name) else {
            throw problem.entry(name, "is a file without a name")
        }
        let path = parts.joined(separator: "/")
        try claim(path)
        let folder = try openFolder(parts.dropLast(), path: path)
        defer { close(folder) }
        let descriptor = openat(folder, parts.last!, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let reason = errno == EEXIST ? "is both a folder and a file in the archive (or two of its names differ only in case)" : "cannot be created: \(String(cString: strerror(errno)))"
            throw problem.entry(path, reason)
        }
        fchmod(descriptor, 0o644)
        return File(descriptor: descriptor, path: path)
    }

    /// Appends `bytes` to `file`, after checking the limits with them counted.
    func write(_ bytes: UnsafeRawBufferPointer, to file: File) throws {
        let n = UInt64(bytes.count)
        file.written += n
        total += n
        if file.written > limits.maxEntryBytes {
            throw problem.entry(file.path, "is larger than \(ArchiveOutput.size(limits.maxEntryBytes)), the limit for one file",
                                "Leave large files (data sets, trained models, logs) out of the archive.")
        }
        if total > limits.maxTotalBytes {
            throw problem.entry(file.path, "brings the files past \(ArchiveOutput.size(limits.maxTotalBytes)) in all, the limit for a submission",
                                "Leave large files (data sets, trained models, .build) out of the archive.")
        }
        if Double(total) > limits.maxRatio * Double(archiveBytes) {
            throw problem.entry(file.path, "inflates the archive to more than \(Int(limits.maxRatio)) times its size "
                                + "(\(ArchiveOutput.size(total)) from \(ArchiveOutput.size(archiveBytes))): a zip bomb is not accepted",
                                "Submit your source files only.")
        }
        if let reason = writeAll(bytes, to: file.descriptor) {
            throw problem.entry(file.path, "cannot be written: \(reason)", "Try again later.")
        }
    }

    /// Opens the folder `parts` under the destination, creating what is missing (mode 0755);
    /// throws if any component is a file or a symbolic link. The caller closes the descriptor.
    private func openFolder(_ parts: ArraySlice<String>, path: String) throws -> Int32 {
        var folder = dup(root)
        var walked: [String] = []
        for part in parts {
            walked.append(part)
            let created = mkdirat(folder, part, 0o755) == 0
            let next = openat(folder, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            close(folder)
            guard next >= 0 else {
                throw problem.entry(path, "needs the folder '\(walked.joined(separator: "/"))', which is a file or a link in the archive")
            }
            if created { fchmod(next, 0o755) }
            folder = next
        }
        return folder
    }

    /// "1.5 MB", "12 KB", "300 bytes".
    static func size(_ bytes: UInt64) -> String {
        if bytes >= 1 << 20 { return String(format: "%.1f MB", Double(bytes) / Double(1 << 20)) }
        if bytes >= 1 << 10 { return "\(bytes >> 10) KB" }
        return "\(bytes) bytes"
    }
}

/// Writes all of `bytes` to `descriptor`; the system's reason if it cannot.
private func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32) -> String? {
    var at = 0
    while at < bytes.count {
        let result = write(descriptor, bytes.baseAddress! + at, bytes.count - at)
        if result < 0 && errno == EINTR { continue }
        guard result > 0 else { return String(cString: strerror(errno)) }
        at += result
    }
    return nil
}
