import Foundation

/// How much a submission archive may hold. Every limit is checked against what is actually
/// inflated, as it comes out, not only against the sizes the archive declares.
public struct ArchiveLimits: Sendable {
    /// The sum of the extracted files' sizes, in bytes.
    public var maxTotalBytes: UInt64
    /// The size of one extracted file, in bytes.
    public var maxEntryBytes: UInt64
    /// The number of files and folders.
    public var maxEntries: Int
    /// Extracted bytes over the archive file's size (a zip bomb inflates by thousands).
    public var maxRatio: Double

    /// - Parameters:
    ///   - maxTotalBytes: the extracted files together, 64 MiB by default.
    ///   - maxEntryBytes: one extracted file, 16 MiB by default.
    ///   - maxEntries: files and folders, 5 000 by default.
    ///   - maxRatio: extracted bytes / archive bytes, 200 by default.
    public init(maxTotalBytes: UInt64 = 64 << 20, maxEntryBytes: UInt64 = 16 << 20,
                maxEntries: Int = 5_000, maxRatio: Double = 200) {
        self.maxTotalBytes = maxTotalBytes
        self.maxEntryBytes = maxEntryBytes
        self.maxEntries = maxEntries
        self.maxRatio = maxRatio
    }

    /// The largest archive file that can hold at most these limits: the files' bytes, plus up to
    /// 8 KiB of headers and padding per entry, plus 1 MiB. Larger files are refused unread.
    var maxArchiveBytes: UInt64 {
        maxTotalBytes &+ UInt64(max(maxEntries, 0)) &* 8192 &+ (1 << 20)
    }

    /// Header bytes a tar stream may carry (headers, pax records, long names, padding): 4 KiB per
    /// entry plus 1 MiB, so that a stream of headers alone cannot inflate without bound.
    var maxTarMetadataBytes: UInt64 {
        UInt64(max(maxEntries, 0)) &* 4096 &+ (1 << 20)
    }
}

/// The archive formats a submission may come in.
public enum ArchiveKind: Sendable, Equatable {
    /// PKZIP: stored or deflated entries, read from the central directory.
    case zip
    /// A tar stream compressed with gzip (`.tar.gz`, `.tgz`).
    case tarGzip
    /// An uncompressed tar stream (ustar, GNU or pax).
    case tar
}

/// What went wrong while extracting, as a `CourseError` naming the archive and the entry.
struct ArchiveProblem {
    /// The archive's file name, first in every message.
    let archive: String

    /// A problem with the archive as a whole.
    func whole(_ problem: String, _ advice: String = ArchiveProblem.remake) -> CourseError {
        CourseError("\(archive): \(problem). \(advice)")
    }

    /// A problem with the entry named `path` (shown escaped and shortened: names are hostile).
    func entry(_ path: String, _ problem: String, _ advice: String = ArchiveProblem.remake) -> CourseError {
        CourseError("\(archive): entry \(ArchiveProblem.quoted(path)) \(problem). \(advice)")
    }

    /// What a student should do in most cases.
    static let remake = "Make the archive again from inside your workspace folder, with only your files "
        + "(e.g. `zip -r ../submission.zip .` or `tar czf ../submission.tar.gz .`)."

    /// `name` in quotes with control characters escaped and at most 200 characters, so that a
    /// crafted name cannot rewrite a terminal line or a report.
    static func quoted(_ name: String) -> String {
        var text = ""
        for scalar in name.unicodeScalars.prefix(200) {
            if scalar.value < 0x20 || scalar.value == 0x7f || (0x80..<0xa0).contains(scalar.value) {
                text += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                text.unicodeScalars.append(scalar)
            }
        }
        return "'" + text + (name.unicodeScalars.count > 200 ? "…" : "") + "'"
    }
}
