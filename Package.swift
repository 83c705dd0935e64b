// swift-tools-version: 6.0
// The course toolkit: shared numerics (NeuralKit), the grading machinery and the `course` CLI,
// the lessons' reference solutions and their graders. No package dependencies: only the toolchain.
import PackageDescription

let package = Package(
    name: "NeuralCourse",
    products: [
        .library(name: "NeuralKit", targets: ["NeuralKit"]),
    ],
    targets: [
        // C helpers: gzip inflation through the system zlib and SHA-256, used by the MNIST loader.
        .target(
            name: "CNeuralSupport",
            linkerSettings: [.linkedLibrary("z")]
        ),
        // Tensors, seeded randomness, datasets, MNIST, gradient checker, plots.
        .target(
            name: "NeuralKit",
            dependencies: ["CNeuralSupport"],
            resources: [.copy("Resources/MNIST")]
        ),
        // Release-mode benchmarks: `swift run -c release course-bench matmul`.
        .executableTarget(
            name: "course-bench",
            dependencies: ["NeuralKit"],
            path: "Sources/CourseBench"
        ),
        .testTarget(
            name: "NeuralKitTests",
            dependencies: ["NeuralKit"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
