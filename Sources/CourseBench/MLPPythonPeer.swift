// The peers of `course-bench mlp`: the same epoch in NumPy written from scratch, and in PyTorch on
// the CPU, run by `python3` on the toolkit's own MNIST files. Prints `seconds-per-epoch accuracy peakMB`.
import Foundation

enum PythonPeer {
    static let script = """
        import sys, gzip, time, resource
        import numpy as np
        peer, directory, seed, epochs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
        def idx(name, offset):
            with gzip.open(f"{directory}/{name}.gz", "rb") as f:
                return np.frombuffer(f.read(), dtype=np.uint8, offset=offset)
        x = idx("train-images-idx3-ubyte", 16).reshape(-1, 784).astype(np.float32) / 255
        y = idx("train-labels-idx1-ubyte", 8).astype(np.int64)
        xt = idx("t10k-images-idx3-ubyte", 16).reshape(-1, 784).astype(np.float32) / 255
        yt = idx("t10k-labels-idx1-ubyte", 8).astype(np.int64)
        sizes, batch = [784, 128, 128, 128, 10], 128
        rng = np.random.default_rng(seed)
        orders = [rng.permutation(len(y)) for _ in range(epochs)]
        if peer == "numpy":
            W = [(rng.standard_normal((sizes[i], sizes[i + 1])) * np.sqrt(2 / sizes[i])).astype(np.float32) for i in range(4)]
            b = [np.zeros(sizes[i + 1], np.float32) for i in range(4)]
            params = W + b
            m = [np.zeros_like(p) for p in params]; v = [np.zeros_like(p) for p in params]
            b1, b2, eta, eps = np.float32(0.9), np.float32(0.999), np.float32(1e-3), np.float32(1e-8)
            start = time.perf_counter()
            steps = [(order, s) for order in orders for s in range(0, len(y), batch)]
            for t, (order, s) in enumerate(steps, start=1):
                rows = order[s:s + batch]
                xb, yb = x[rows], np.eye(10, dtype=np.float32)[y[rows]]
                a, z = [xb], []
                for l in range(4):
                    zl = a[l] @ W[l] + b[l]; z.append(zl)
                    if l < 3: a.append(np.maximum(zl, 0))
                    else:
                        e = np.exp(zl - zl.max(axis=1, keepdims=True)); a.append(e / e.sum(axis=1, keepdims=True))
                delta = (a[4] - yb) / np.float32(len(rows))
                grads = [None] * 8
                for l in range(3, -1, -1):
                    grads[l], grads[4 + l] = a[l].T @ delta, delta.sum(axis=0)
                    if l > 0: delta = (delta @ W[l].T) * (z[l - 1] > 0)
                c1, c2 = 1 - b1 ** t, 1 - b2 ** t
                for i, g in enumerate(grads):
                    m[i] = b1 * m[i] + (1 - b1) * g
                    v[i] = b2 * v[i] + (1 - b2) * g * g
                    params[i] -= eta * (m[i] / c1) / (np.sqrt(v[i] / c2) + eps)
            seconds = (time.perf_counter() - start) / epochs
            h = xt
            for l in range(4):
                h = h @ W[l] + b[l]
                if l < 3: h = np.maximum(h, 0)
        else:
            import torch
            torch.manual_seed(seed); torch.set_num_threads(2)
            model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 128), torch.nn.ReLU(),
                                        torch.nn.Linear(128, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
            optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
            X, Y = torch.from_numpy(x), torch.from_numpy(y)
            start = time.perf_counter()
            for order, s in [(order, s) for order in orders for s in range(0, len(y), batch)]:
                rows = torch.from_numpy(order[s:s + batch])
                optimiser.zero_grad()
                loss = torch.nn.functional.cross_entropy(model(X[rows]), Y[rows])
                loss.backward(); optimiser.step()
            seconds = (time.perf_counter() - start) / epochs
            with torch.no_grad(): h = model(torch.from_numpy(xt)).numpy()
        accuracy = float((h.argmax(axis=1) == yt).mean())
        print(seconds, accuracy, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        """

    static func epoch(_ peer: String, directory: URL, seed: Int, epochs: Int = 1) -> Result<MLPBenchmark.Outcome, PythonScript.Unavailable> {
        PythonScript.numbers(script, arguments: [peer, directory.path, String(seed), String(epochs)], module: peer, count: 3)
            .map { MLPBenchmark.Outcome(seconds: $0[0], accuracy: $0[1], peakMegabytes: $0[2]) }
    }
}
