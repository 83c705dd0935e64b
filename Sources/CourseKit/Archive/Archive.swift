import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading students' submission archives: zip, tar.gz and tar, parsed here (pure Swift and zlib),
/// extracted so that nothing is ever written outside the destination folder.
public enum Archive {
    /// Which kind a file is, from its first bytes (not its name); nil if none.
    /// "PK\3\4" or "PK\5\6" (an empty zip) → zip, 1f 8b → tar.gz, a tar header (magic "ustar" at
    /// 257 or a valid checksum) → tar.
    /// - Parameter file: the archive.
    public static func kind(of file: URL) -> ArchiveKind? {
        guard let handle = openRegularFile(file), let head = try? handle.read(upToCount: 512) else { return nil }
        return kind(ofFirst: [UInt8](head))
    }

    /// `file` opened for reading if it is a regular file (after links); nil otherwise. Opened without
    /// blocking, so that a FIFO among the submissions is refused instead of waiting for a writer.
    static func openRegularFile(_ file: URL) -> FileHandle? {
        let descriptor = open(file.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        _ = fcntl(descriptor, F_SETFL, 0)                                   // blocking reads again
        return handle
    }

    /// The kind of an archive starting with `head` (its first 512 bytes, or all of it if shorter).
    static func kind(ofFirst head: [UInt8]) -> ArchiveKind? {
        if head.count >= 4, head[0] == 0x50, head[1] == 0x4b, (head[2], head[3]) == (3, 4) || (head[2], head[3]) == (5, 6) { return .zip }
        if head.count >= 2, head[0] == 0x1f, head[1] == 0x8b { return .tarGzip }
        if head.count >= 512, head[257..<262].elementsEqual("ustar".utf8) || TarReader<PlainSource>.checksumMatches(Array(head.prefix(512))) {
            return head.prefix(512).allSatisfy { $0 == 0 } ? nil : .tar
        }
        return nil
    }

    /// Extracts `archive` into `destination` (created; must not exist or be empty). Regular files
    /// and folders only, files with mode 0644 and folders 0755 whatever the archive says.
    ///
    /// Throws a `CourseError` naming the archive, the offending entry and what to do, and leaves
    /// `destination` removed, for: paths with `..`, absolute paths, backslashes or NUL; links of
    /// any kind; device files, FIFOs and other types; a file over `maxEntryBytes`, a total over
    /// `maxTotalBytes`, a ratio over `maxRatio` (counted while inflating, stopped as soon as
    /// exceeded); too many entries; duplicate paths; encrypted zip entries; compression methods
    /// other than stored and deflate; zip64; truncated or damaged data (zip CRC mismatch).
    /// - Parameters:
    ///   - archive: a zip, tar.gz or tar file (the kind is read from its bytes).
    ///   - destination: the folder to create and fill.
    ///   - limits: what the archive may hold.
    /// - Returns: the relative paths extracted (files and folders), in archive order.
    ///   A zip of "a/b.swift" → ["a/b.swift"] with folder `a` created.
    @discardableResult
    public static func extract(_ archive: URL, into destination: URL, limits: ArchiveLimits = .init()) throws -> [String] {
        let problem = ArchiveProblem(archive: archive.lastPathComponent)
        let fm = FileManager.default
        var isFolder: ObjCBool = false
        if fm.fileExists(atPath: destination.path, isDirectory: &isFolder) {
            guard isFolder.boolValue, (try? fm.contentsOfDirectory(atPath: destination.path))?.isEmpty == true else {
                throw CourseError("Cannot extract \(archive.lastPathComponent) into \(destination.path): it exists and is not an empty folder.")
            }
        } else {
            do { try fm.createDirectory(at: destination, withIntermediateDirectories: true) } catch {
                throw CourseError("Cannot create \(destination.path) to extract \(archive.lastPathComponent) into: \(error.localizedDescription)")
            }
        }
        do {
            let bytes = try read(archive, limits: limits, problem: problem)
            guard let kind = kind(ofFirst: Array(bytes.prefix(512))) else {
                throw problem.whole("is not a zip, tar.gz or tar archive", "Submit a .zip or .tar.gz of your workspace folder.")
            }
            let output = try ArchiveOutput(destination: destination, limits: limits, archiveBytes: UInt64(bytes.count), problem: problem)
            switch kind {
            case .zip: try ZipReader(bytes: bytes, output: output).extract()
            case .tar: var reader = TarReader(source: PlainSource(bytes), output: output); try reader.extract()
            case .tarGzip:
                var reader = TarReader(source: try GzipSource(bytes, problem: problem), output: output)
                try reader.extract()
            }
            return output.paths
        } catch {
            try? fm.removeItem(at: destination)
            if let failure = error as? Inflater.Failure { throw problem.whole("cannot be inflated (\(failure.message))") }
            throw error
        }
    }

    /// The bytes of `archive`, a regular file of at most `limits.maxArchiveBytes` bytes (a larger
    /// file cannot hold an acceptable submission, and a FIFO or device would never end).
    private static func read(_ archive: URL, limits: ArchiveLimits, problem: ArchiveProblem) throws -> [UInt8] {
        guard FileManager.default.fileExists(atPath: archive.path) else { throw problem.whole("does not exist", "Check the path.") }
        guard let handle = openRegularFile(archive) else {
            throw problem.whole("is not a regular file that can be read", "Submit a .zip or .tar.gz file.")
        }
        let bound = limits.maxArchiveBytes
        let size = (try? handle.seekToEnd()) ?? 0
        try handle.seek(toOffset: 0)
        guard size <= bound, let data = try handle.read(upToCount: Int(min(bound, UInt64(Int.max - 1))) + 1),
              UInt64(data.count) <= bound else {
            throw problem.whole("is larger than \(ArchiveOutput.size(bound)), more than an archive within the limits can be",
                                "Leave build products (.build), data sets and trained models out of the archive.")
        }
        return [UInt8](data)
    }
}
