import Foundation

/// Marks a function body that the student has not written yet.
///
/// Every stub in `Lessons/` ends with `return unimplemented(placeholder)`: the stub compiles,
/// returns a harmless placeholder instead of crashing, and leaves a note in `StubLog`. The graders
/// read that note and report the check as "not implemented yet (Neuron.swift:12)" rather than as a
/// wrong answer or a crash.
///
///     public func sigmoid(_ z: Tensor) -> Tensor {
///         // TODO: σ(z) = 1 / (1 + e^(−z)) for every element, e.g. [0, 2] → [0.5, 0.8808]
///         return unimplemented(Tensor.zeros(like: z))
///     }
///
/// - Parameter placeholder: the value to return meanwhile (zeros of the right shape are best:
///   later code keeps running and no check passes by accident).
@discardableResult
public func unimplemented<T>(_ placeholder: T, fileID: StaticString = #fileID, line: UInt = #line) -> T {
    StubLog.record(fileID: "\(fileID)", line: Int(line))
    return placeholder
}

/// `unimplemented()` for functions that return nothing.
public func unimplemented(fileID: StaticString = #fileID, line: UInt = #line) {
    StubLog.record(fileID: "\(fileID)", line: Int(line))
}

/// Where `unimplemented` leaves its notes: the places of the stubs that ran since the last `reset`.
/// Thread-safe; graders reset it before each check and read it after.
public enum StubLog {
    /// One stub that ran: its file (e.g. `Neuron.swift`) and line.
    public struct Hit: Hashable, Sendable, CustomStringConvertible {
        public let file: String
        public let line: Int
        public var description: String { "\(file):\(line)" }
    }

    private final class Storage: @unchecked Sendable {
        let lock = NSLock()
        var hits: [Hit] = []
    }
    private static let storage = Storage()

    static func record(fileID: String, line: Int) {
        // `#fileID` is "Module/File.swift"; students know the file by its name.
        let file = fileID.split(separator: "/").last.map(String.init) ?? fileID
        storage.lock.lock()
        defer { storage.lock.unlock() }
        let hit = Hit(file: file, line: line)
        if !storage.hits.contains(hit) { storage.hits.append(hit) }
    }

    /// Forgets all notes.
    public static func reset() {
        storage.lock.lock()
        storage.hits.removeAll()
        storage.lock.unlock()
    }

    /// The stubs that ran since the last `reset`, in the order they first ran.
    public static var hits: [Hit] {
        storage.lock.lock()
        defer { storage.lock.unlock() }
        return storage.hits
    }
}
