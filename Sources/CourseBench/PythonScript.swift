// Running the benchmarks' Python peers: `python3 -c SCRIPT ARGUMENTS…`, with what it printed or
// why it could not run (python3 missing, a module it cannot import, an error's last line).
import Foundation

enum PythonScript {
    struct Unavailable: Error { let reason: String }

    /// The start of a peer script: `peer directory images` from the arguments, and the toolkit's
    /// MNIST files read into `x, y` (the first `images` training examples, reshaped to `shape`,
    /// scaled to [0, 1]) and `xt, yt` (the test set).
    static func mnistPrologue(shape: String) -> String {
        """
        import sys, gzip, time
        import numpy as np
        peer, directory, images = sys.argv[1], sys.argv[2], int(sys.argv[3])
        def idx(name, offset):
            with gzip.open(f"{directory}/{name}.gz", "rb") as f:
                return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)
        x = idx("train-images-idx3-ubyte", 16).reshape(\(shape)).astype(np.float32)[:images] / 255
        y = idx("train-labels-idx1-ubyte", 8).astype(np.int64)[:images]
        xt = idx("t10k-images-idx3-ubyte", 16).reshape(\(shape)).astype(np.float32) / 255
        yt = idx("t10k-labels-idx1-ubyte", 8).astype(np.int64)
        """
    }

    /// The script's standard output, or why it failed. `module` names the peer in the reason
    /// when the script cannot import it ("python3 cannot import torch").
    static func run(_ script: String, arguments: [String], module: String? = nil) -> Result<String, Unavailable> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch { return .failure(Unavailable(reason: "could not start python3 (\(error.localizedDescription))")) }
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let problem = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            if process.terminationStatus == 127 { return .failure(Unavailable(reason: "python3 not found")) }
            if problem.contains("No module named") { return .failure(Unavailable(reason: "python3 cannot import \(module ?? "a module it needs")")) }
            let last = problem.split(separator: "\n").last.map(String.init) ?? "exit status \(process.terminationStatus)"
            return .failure(Unavailable(reason: "python3 failed: \(last)"))
        }
        return .success(String(decoding: data, as: UTF8.self))
    }

    /// The numbers of the script's output (separated by white space), when there are `count`.
    static func numbers(_ script: String, arguments: [String], module: String? = nil, count: Int) -> Result<[Double], Unavailable> {
        run(script, arguments: arguments, module: module).flatMap { text in
            let fields = text.split(whereSeparator: \.isWhitespace).compactMap { Double($0) }
            return fields.count == count ? .success(fields) : .failure(Unavailable(reason: "the script printed \(fields.count) of \(count) numbers"))
        }
    }

    /// One epoch of a peer whose script prints `seconds accuracy`: a line with its seconds,
    /// examples per second (`unit`, e.g. "images") and test accuracy, or why it was not measured.
    static func epochLine(_ script: String, peer: String, directory: URL, examples: Int, unit: String) -> String {
        switch numbers(script, arguments: [peer, directory.path, String(examples)], module: peer, count: 2) {
        case .failure(let problem): return "not measured (\(problem.reason))"
        case .success(let fields):
            return String(format: "%.1f s per epoch (%.0f %@/s), test %.2f %% after one epoch", fields[0], Double(examples) / fields[0], unit, fields[1] * 100)
        }
    }
}
