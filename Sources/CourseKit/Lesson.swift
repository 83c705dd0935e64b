import Foundation

/// A lesson as declared in `Lessons/NN-name/lesson.json`, the one place its metadata lives.
///
///     {
///       "title": "Warm-up: Swift and tensors",
///       "module": "Warmup",
///       "files": ["DotProduct.swift", "Losses.swift"],
///       "hints": ["First hint…", "Second hint…"],
///       "timeLimitSeconds": 30,
///       "memoryLimitGiB": 2,
///       "library": "NeuralBlocks",        // lesson 03: its finished solution, published for later lessons
///       "uses": ["NeuralBlocks"],         // lessons 04+: libraries their code imports
///       "experiment": { "summary": "…", "options": [{ "name": "steps", "default": "200", "help": "…" }],
///                       "quick": { "steps": "50" } }     // what `course grade --submissions --figures` runs
///     }
///
/// The folder name gives the id (`00`) and the slug (`00-warmup`). The lesson's files exist three
/// times: the reference in `Solutions/<slug>/`, the stubs generated from it in `Lessons/<slug>/`,
/// and the graders in `Graders/<slug>/`. The points are declared in the grader source, next to
/// each check.
public struct Lesson: Sendable, Equatable {
    /// Two digits, e.g. "01".
    public let id: String
    /// The folder name, e.g. "01-neuron".
    public let slug: String
    public let title: String
    /// The Swift module of the lesson's code, e.g. "Neuron"; graders `import` it.
    public let module: String
    /// The files students complete, in the order the lesson text introduces them.
    public let files: [String]
    public let hints: [String]
    /// How long one grader check may run before it counts as an endless loop.
    public let timeLimitSeconds: Double
    /// How much memory the checks' process may hold (`memoryLimitGiB`), nil for the default 2 GiB.
    public let memoryLimitBytes: UInt64?
    public let experiment: Experiment?
    /// The module name under which this lesson's finished solution is published for later lessons
    /// (`Sources/<library>/`, generated from `Solutions/<slug>/` by `course stubs`), if it is.
    public let library: String?
    /// The library modules (other lessons' `library`) that this lesson's code may import.
    public let uses: [String]

    /// The lesson's experiment, run by `course run`.
    public struct Experiment: Codable, Sendable, Equatable {
        public let summary: String
        public let options: [Option]
        /// The knobs a batch grade's `--figures` sets to make the figures quickly (fewer epochs),
        /// by option name; the others keep their defaults.
        public let quick: [String: String]?

        /// A knob of the experiment, passed to it as `--name value`.
        public struct Option: Codable, Sendable, Equatable {
            public let name: String
            public let `default`: String
            public let help: String
        }
    }

    /// The name of the graders' test module: `<module>Graders`.
    public var gradersModule: String { module + "Graders" }
    /// The name of the experiment executable: `experiment-NN`.
    public var experimentProduct: String { "experiment-" + id }

    struct Metadata: Codable {
        let title: String
        let module: String
        let files: [String]
        let hints: [String]
        let timeLimitSeconds: Double?
        let memoryLimitGiB: Double?
        let experiment: Experiment?
        let library: String?
        let uses: [String]?
    }

    init(slug: String, metadata: Metadata) {
        self.id = String(slug.prefix(2))
        self.slug = slug
        self.title = metadata.title
        self.module = metadata.module
        self.files = metadata.files
        self.hints = metadata.hints
        self.timeLimitSeconds = metadata.timeLimitSeconds ?? 30
        self.memoryLimitBytes = metadata.memoryLimitGiB.map { UInt64($0 * Double(1 << 30)) }
        self.experiment = metadata.experiment
        self.library = metadata.library
        self.uses = metadata.uses ?? []
    }

    /// Whether `name` designates this lesson: "1", "01", "neuron" or "01-neuron".
    public func matches(_ name: String) -> Bool {
        let n = name.lowercased()
        if n == slug || n == id || n == slug.dropFirst(3) { return true }
        if let number = Int(n), let own = Int(id) { return number == own }
        return false
    }
}
