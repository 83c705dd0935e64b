// NumPy's matmul speed on the same shapes, for `course-bench matmul`: runs `python3` with a small
// inline script that times `np.dot` on float32 arrays (transposes taken as views, as BLAS sees
// them) and prints the median GFLOP/s per shape.
import Foundation

enum NumPyReference {
    typealias Unavailable = PythonScript.Unavailable

    /// The script: argv = repetitions, warm-up seconds, then one `m,k,n,transposeA,transposeB`
    /// per shape.
    /// Prints `numpy <version>`, then one GFLOP/s figure per line.
    static let script = """
        import sys, time, statistics
        try:
            import numpy as np
        except ImportError:
            print("python3 has no numpy module", file=sys.stderr)
            sys.exit(3)
        repetitions = int(sys.argv[1])
        warm_up_seconds = float(sys.argv[2])
        print("numpy", np.__version__, flush=True)
        rng = np.random.default_rng(42)
        for spec in sys.argv[3:]:
            m, k, n, ta, tb = (int(x) for x in spec.split(","))
            a = rng.uniform(-1, 1, (k, m) if ta else (m, k)).astype(np.float32)
            b = rng.uniform(-1, 1, (n, k) if tb else (k, n)).astype(np.float32)
            A = a.T if ta else a
            B = b.T if tb else b
            warm_up, runs = 0.0, 0
            while warm_up < warm_up_seconds or runs < 3:
                start = time.perf_counter()
                np.dot(A, B)
                warm_up += time.perf_counter() - start
                runs += 1
            times = []
            for run in range(repetitions):
                start = time.perf_counter()
                np.dot(A, B)
                times.append(time.perf_counter() - start)
            print(2.0 * m * n * k / statistics.median(times) / 1e9, flush=True)
        """

    /// Runs the script; the NumPy version and one GFLOP/s figure per specification.
    static func measure(_ specifications: [String], repetitions: Int, warmUpSeconds: Double)
        -> Result<(version: String, gigaflops: [Double]), Unavailable>
    {
        let output: String
        switch PythonScript.run(script, arguments: [String(repetitions), String(warmUpSeconds)] + specifications, module: "numpy") {
        case .failure(let problem): return .failure(problem)
        case .success(let text): output = text
        }
        let lines = output.split(separator: "\n").map(String.init)
        guard let first = lines.first, first.hasPrefix("numpy ") else {
            return .failure(Unavailable(reason: "unexpected output from the NumPy script"))
        }
        let figures = lines.dropFirst().compactMap { Double($0) }
        guard figures.count == specifications.count else {
            return .failure(Unavailable(reason: "the NumPy script returned \(figures.count) of \(specifications.count) figures"))
        }
        return .success((String(first.dropFirst("numpy ".count)), figures))
    }
}
