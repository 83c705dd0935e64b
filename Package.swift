// swift-tools-version: 6.0
// The course toolkit: shared numerics (NeuralKit), the grading machinery and the `course` CLI,
// the lessons' reference solutions and their graders. No package dependencies: only the toolchain.
import Foundation
import PackageDescription

// NeuralKit is compiled with optimisation even in debug builds: graders and students' experiments
// train networks, and unoptimised tensor loops are 10–50× slower. Students' own code stays in
// debug, so crashes point at their lines.
let optimised: [SwiftSetting] = [.unsafeFlags(["-O"])]

let root = Context.packageDirectory
func exists(_ path: String) -> Bool { FileManager.default.fileExists(atPath: "\(root)/\(path)") }

var targets: [Target] = [
    // C helpers: gzip inflation through the system zlib and SHA-256, used by the MNIST loader.
    .target(name: "CNeuralSupport", cSettings: [.unsafeFlags(["-O2", "-fno-math-errno"])], linkerSettings: [.linkedLibrary("z")]),
    // Tensors, seeded randomness, datasets, MNIST, gradient checker, plots.
    .target(name: "NeuralKit", dependencies: ["CNeuralSupport"], resources: [.copy("Resources/MNIST")],
            swiftSettings: optimised),
    // What graders import: the `.points(n)` trait, expectations for tensors and gradients.
    .target(name: "CourseGrading", dependencies: ["NeuralKit"]),
    // The workspace and grading machinery behind the `course` CLI.
    // CNeuralSupport for one process helper (parent-death signal), with no NeuralKit in the CLI.
    .target(name: "CourseKit", dependencies: ["CNeuralSupport"]),
    .executableTarget(name: "course", dependencies: ["CourseKit", "CNeuralSupport"]),
]
// A student kit (`course export student-kit`) has no Solutions/, no Tests/ and no CourseBench:
// each target below exists only when its folder does.
// Release-mode benchmarks: `swift run -c release course-bench matmul`.
// (and the lessons' reference results: lesson 03's through its published library NeuralBlocks,
// lessons 04's and 05's through their solution modules)
if exists("Sources/CourseBench") {
    targets.append(.executableTarget(name: "course-bench", dependencies: ["NeuralKit", "NeuralBlocks", "ConvolutionalNetwork", "RecurrentNetwork", "CourseKit"], path: "Sources/CourseBench"))
}
if exists("Tests/NeuralKitTests") { targets.append(.testTarget(name: "NeuralKitTests", dependencies: ["NeuralKit"])) }
if exists("Tests/CourseTests") { targets.append(.testTarget(name: "CourseTests", dependencies: ["CourseKit", "course"])) }

// The lessons, in order. Each is described once, in Lessons/<folder>/lesson.json: its reference
// solution is a module (Solutions/<folder>), its graders a test target (Graders/<folder>) and its
// experiment an executable (Lessons/<folder>/Experiment). The folders are listed here, not found
// by scanning, because SwiftPM caches this manifest's result for as long as its text is unchanged.
let lessonFolders = ["00-warmup", "01-neuron", "02-backprop", "03-mlp", "04-cnn", "05-lstm", "06-autoencoder", "07-gan"]

var products: [Product] = [
    .library(name: "NeuralKit", targets: ["NeuralKit"]),
    .library(name: "CourseGrading", targets: ["CourseGrading"]),
    .executable(name: "course", targets: ["course"]),
]
var libraries: [String] = []
for folder in lessonFolders {
    guard let data = FileManager.default.contents(atPath: "\(root)/Lessons/\(folder)/lesson.json"),
          let json = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
          let module = json["module"] as? String else { continue }
    // A lesson whose finished solution later lessons build on ("library") is also compiled as that
    // library, from the copy in Sources/<library> that `course stubs` generates; lessons that list
    // it in "uses" depend on it. The lesson itself does not: students write those pieces.
    // (A kit may hold a library without the lesson that makes it: lesson 04 without lesson 03.)
    let usesNames = json["uses"] as? [String] ?? []
    for library in [json["library"] as? String].compactMap({ $0 }) + usesNames
    where !libraries.contains(library) && exists("Sources/\(library)") {
        libraries.append(library)
        targets.append(.target(name: library, dependencies: ["NeuralKit"], swiftSettings: optimised))
        products.append(.library(name: library, targets: [library]))
    }
    // Without the reference solution (a student kit), no solution module, graders test target or
    // experiment: `course grade` and `course run` build those in the student's harness.
    guard exists("Solutions/\(folder)") else { continue }
    let uses = usesNames.map { Target.Dependency.target(name: $0) }
    let graderData = ["mutants.json", "variants.json", "timings.json"].filter { exists("Graders/\(folder)/\($0)") }
    targets.append(.target(name: module, dependencies: ["NeuralKit"] + uses, path: "Solutions/\(folder)"))
    targets.append(.testTarget(name: module + "Graders", dependencies: [.target(name: module), "NeuralKit", "CourseGrading"] + uses,
                               path: "Graders/\(folder)", exclude: graderData))
    if exists("Lessons/\(folder)/Experiment") {
        targets.append(.executableTarget(name: "experiment-" + folder.prefix(2), dependencies: [.target(name: module), "NeuralKit"] + uses,
                                         path: "Lessons/\(folder)/Experiment"))
    }
}

let package = Package(
    name: "NeuralCourse",
    products: products,
    targets: targets,
    swiftLanguageModes: [.v6]
)
