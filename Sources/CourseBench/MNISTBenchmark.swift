// `course-bench mnist [--runs R]`: how long loading all 70,000 MNIST images (train + test) takes.
//
// Each run times the phases one after another, summed over the four bundled files:
//   read     the .gz files from disk
//   inflate  gzip → IDX bytes (zlib)
//   verify   SHA-256 of the uncompressed bytes against the published digests
//   convert  IDX parsing, bytes → Float in [0, 1], labels → [Int]
// then the end-to-end times of `MNIST.load(.train)` + `MNIST.load(.test)` and of `MNIST.loadLectureSplit()`.
// Medians over R runs (5).
import Foundation
import NeuralKit

enum MNISTBenchmark {
    static func run(_ arguments: [String]) {
        var runs = 5
        if let i = arguments.firstIndex(of: "--runs"), i + 1 < arguments.count, let r = Int(arguments[i + 1]), r > 0 {
            runs = r
        }
        do {
            try measure(runs: runs)
        } catch {
            print("mnist: \(error)")
            exit(1)
        }
    }

    static let phases = ["read", "inflate", "verify", "convert"]

    static func measure(runs: Int) throws {
        print("MNIST load time, all 70,000 images (train + test), median of \(runs) runs")
        var phaseTimes = [[Double]](repeating: [], count: phases.count)
        var totals: [Double] = []
        var lectureTotals: [Double] = []
        var sets: [MNIST.Split: MNISTSet] = [:]
        for _ in 0..<runs {
            var seconds = [Double](repeating: 0, count: phases.count)
            for split in MNIST.Split.allCases {
                var files: [IDXArray] = []
                for name in [split.imageFileName, split.labelFileName] {
                    let url = try MNIST.locate(name, in: MNIST.bundledDirectory)
                    let stored = try time(&seconds[0]) { try IDX.readFile(url) }
                    let bytes = try time(&seconds[1]) { try IDX.inflatedIfCompressed(stored, file: url) }
                    try time(&seconds[2]) { try IDX.verify(bytes, expectedSHA256: MNIST.publishedSHA256[name]!, file: url) }
                    files.append(try time(&seconds[3]) { try IDX.parse(bytes, file: url) })
                }
                sets[split] = try time(&seconds[3]) { try MNISTSet(imageFile: files[0], labelFile: files[1]) }
            }
            for p in phases.indices { phaseTimes[p].append(seconds[p]) }
            var total = 0.0
            _ = try time(&total) { (try MNIST.load(.train), try MNIST.load(.test)) }
            totals.append(total)
            var lecture = 0.0
            _ = try time(&lecture) { try MNIST.loadLectureSplit() }
            lectureTotals.append(lecture)
        }
        for (p, name) in phases.enumerated() {
            print("  \(name.padding(toLength: 8, withPad: " ", startingAt: 0)) \(format(median(phaseTimes[p])))")
        }
        let sum = (0..<runs).map { r in phaseTimes.reduce(0) { $0 + $1[r] } }
        print("  sum of phases        \(format(median(sum)))")
        print("  MNIST.load(.train) + MNIST.load(.test), end to end: \(format(median(totals)))")
        print("  MNIST.loadLectureSplit(), end to end:                \(format(median(lectureTotals)))")

        let expected: [MNIST.Split: [Int]] = [
            .train: [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
            .test: [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009],
        ]
        for split in MNIST.Split.allCases {
            let set = sets[split]!
            let counts = set.labelCounts
            let verdict = counts == expected[split]! ? "as published" : "DIFFERENT from published \(expected[split]!)"
            print("\(split.rawValue) \(set.images.shapeDescription) label counts 0–9: "
                  + counts.map(String.init).joined(separator: " ") + " (\(verdict))")
        }
    }

    /// Runs `body`, adds its duration in seconds to `seconds`, returns its result.
    static func time<R>(_ seconds: inout Double, _ body: () throws -> R) rethrows -> R {
        let start = DispatchTime.now().uptimeNanoseconds
        let result = try body()
        seconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return result
    }

    static func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        let mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    static func format(_ seconds: Double) -> String { String(format: "%7.1f ms", seconds * 1000) }
}
