import CNeuralSupport
import Foundation

/// zlib's inflation one step at a time, so that the caller counts what comes out and can stop
/// as soon as a limit is passed (CNeuralSupport's cns_inflater).
final class Inflater {
    /// Why the compressed data could not be inflated: it ends early, or it is damaged.
    struct Failure: Error {
        /// True when the data ends before its end marker.
        let truncated: Bool
        /// zlib's reason.
        let message: String
    }

    private let state: OpaquePointer
    /// Whether the end of the stream has been reached.
    private(set) var finished = false

    /// - Parameter gzip: a gzip stream (one or more members) if true, raw deflate (zip) if false.
    init(gzip: Bool) throws {
        guard let state = cns_inflater_create(gzip ? CNS_FORMAT_GZIP : CNS_FORMAT_RAW_DEFLATE) else {
            throw Failure(truncated: false, message: "zlib could not allocate its state")
        }
        self.state = state
    }

    deinit { cns_inflater_destroy(state) }

    /// Inflates from `input` into `output`.
    /// - Parameters:
    ///   - input: all the compressed bytes not consumed yet.
    ///   - output: room for the inflated bytes (not empty).
    /// - Returns: the input bytes consumed and the output bytes produced.
    func step(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) throws -> (consumed: Int, produced: Int) {
        var consumed = 0, produced = 0
        var done: Int32 = 0
        var message = [CChar](repeating: 0, count: 256)
        let status = cns_inflater_step(state, input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count, &consumed,
                                       output.baseAddress?.assumingMemoryBound(to: UInt8.self), output.count, &produced, &done,
                                       &message, message.count)
        guard status == CNS_OK else {
            throw Failure(truncated: status == CNS_TRUNCATED, message: String(decoding: message.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        finished = done != 0
        return (consumed, produced)
    }

    /// Inflates all of `input` (one stream), handing the output to `sink` 64 KiB at a time.
    /// - Returns: the input bytes the stream used; the stream ends at or before the end of `input`.
    static func inflate(_ input: UnsafeRawBufferPointer, gzip: Bool,
                        sink: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        let inflater = try Inflater(gzip: gzip)
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var at = 0
        while !inflater.finished {
            try buffer.withUnsafeMutableBytes { output in
                let (consumed, produced) = try inflater.step(UnsafeRawBufferPointer(rebasing: input[at...]), into: output)
                at += consumed
                try sink(UnsafeRawBufferPointer(rebasing: output[..<produced]))
            }
        }
        return at
    }
}

/// The bytes of a stream, read in order (a tar archive, plain or through gzip).
protocol ByteSource {
    /// The next bytes, at most `count` (`count` > 0); empty at the end of the stream.
    mutating func read(upTo count: Int) throws -> ArraySlice<UInt8>
}

/// Bytes already in memory.
struct PlainSource: ByteSource {
    let bytes: [UInt8]
    private var at = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func read(upTo count: Int) throws -> ArraySlice<UInt8> {
        let end = min(bytes.count, at + count)
        defer { at = end }
        return bytes[at..<end]
    }
}

/// The inflated bytes of gzip data in memory, inflated 64 KiB at a time as they are read.
struct GzipSource: ByteSource {
    private let compressed: [UInt8]
    private let inflater: Inflater
    private let problem: ArchiveProblem
    private var at = 0
    private var buffer = [UInt8](repeating: 0, count: 1 << 16)
    private var pending = 0..<0

    init(_ compressed: [UInt8], problem: ArchiveProblem) throws {
        self.compressed = compressed
        self.problem = problem
        inflater = try Inflater(gzip: true)
    }

    mutating func read(upTo count: Int) throws -> ArraySlice<UInt8> {
        while pending.isEmpty && !inflater.finished {
            do {
                let (consumed, produced) = try compressed.withUnsafeBytes { input in
                    try buffer.withUnsafeMutableBytes { output in
                        try inflater.step(UnsafeRawBufferPointer(rebasing: input[at...]), into: output)
                    }
                }
                at += consumed
                pending = 0..<produced
            } catch let failure as Inflater.Failure {
                throw failure.truncated
                    ? problem.whole("the gzip data ends early: the file is truncated (an interrupted upload or copy?)")
                    : problem.whole("the gzip data is damaged (\(failure.message))")
            }
        }
        let end = min(pending.upperBound, pending.lowerBound + count)
        defer { pending = end..<pending.upperBound }
        return buffer[pending.lowerBound..<end]
    }
}
