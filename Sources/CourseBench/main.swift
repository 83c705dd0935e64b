// course-bench: release-mode benchmarks that print figures.
//
//     swift run -c release course-bench matmul        # GFLOP/s per shape, NumPy's figure and the ratio
//     swift run -c release course-bench mnist         # time to load all 70,000 MNIST images
//     swift run -c release course-bench loop          # the student loop's timings (build `course` first)
//     swift run -c release course-bench tensor        # µs per element-wise operation and Adam step
//     swift run -c release course-bench mlp           # an MNIST epoch, student-style, against NumPy/PyTorch
//     swift run -c release course-bench lesson03      # lesson 03's reference results (several minutes)
//     swift run -c release course-bench lesson04      # lesson 04's CNN (about half a minute per epoch)
//     swift run -c release course-bench lesson05      # lesson 05's LSTM on MNIST row by row
//     swift run -c release course-bench classroom     # batch grading of a generated class (build `course` first)
//
// Build with `-Xswiftc -target-cpu -Xswiftc native` to measure with the CPU's vector extensions.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
let benchmarks: [(name: String, summary: String, run: ([String]) -> Void)] = [
    ("matmul", "GFLOP/s of Tensor matmul per shape, against NumPy when python3 has it", MatmulBenchmark.run),
    ("mnist", "seconds to load (inflate, verify, convert) all 70,000 MNIST images", MNISTBenchmark.run),
    ("loop", "seconds for course init + first grade, and for a grade after an edit", LoopBenchmark.run),
    ("tensor", "µs per element-wise operation, reduction, gather and Adam step", TensorBenchmark.run),
    ("mlp", "one MNIST epoch of a 784-128-128-128-10 MLP with Adam, against NumPy (and PyTorch)", MLPBenchmark.run),
    ("lesson03", "lesson 03's reference results: epoch time, 10-epoch accuracy over seeds, small models, over-fitting", Lesson03Benchmark.run),
    ("lesson04", "lesson 04's CNN: epoch time, where it goes, accuracy, against Keras and PyTorch when importable", Lesson04Benchmark.run),
    ("classroom", "a generated class of 100 submissions (correct, broken, looping, hungry, hostile, forging) graded in batch: throughput, peak memory, verdict", ClassroomBenchmark.run),
    ("lesson05", "lesson 05's LSTM on MNIST row by row: epoch time, where it goes, accuracy, against PyTorch and Keras when importable", Lesson05Benchmark.run),
]

@MainActor func usage() -> String {
    var text = "usage: course-bench <benchmark> [options]\n\nbenchmarks:\n"
    for b in benchmarks { text += "  \(b.name.padding(toLength: 8, withPad: " ", startingAt: 0))  \(b.summary)\n" }
    text += "\nRun in release mode: swift run -c release course-bench matmul"
    return text
}

guard let name = arguments.first, name != "--help", name != "-h" else {
    print(usage())
    exit(arguments.isEmpty ? 1 : 0)
}
guard let benchmark = benchmarks.first(where: { $0.name == name }) else {
    FileHandle.standardError.write(Data("course-bench: unknown benchmark '\(name)'\n\n\(usage())\n".utf8))
    exit(1)
}
benchmark.run(Array(arguments.dropFirst()))
