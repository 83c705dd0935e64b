// The peers of `course-bench lesson04`: the lecture's CNN in Keras (TensorFlow CPU) and in PyTorch
// CPU, one epoch on the toolkit's own MNIST files, run by python3. Prints `seconds accuracy`.
import Foundation

enum CNNPythonPeer {
    static let script = """
        \(PythonScript.mnistPrologue(shape: "-1, 1, 28, 28"))
        if peer == "tensorflow":
            import tensorflow as tf
            tf.config.threading.set_intra_op_parallelism_threads(2)
            model = tf.keras.Sequential([tf.keras.layers.Input((28, 28, 1)),
                tf.keras.layers.Conv2D(32, 3, activation="relu"), tf.keras.layers.MaxPooling2D(2),
                tf.keras.layers.Conv2D(64, 3, activation="relu"), tf.keras.layers.MaxPooling2D(2),
                tf.keras.layers.Flatten(), tf.keras.layers.Dense(128, activation="relu"), tf.keras.layers.Dense(10)])
            model.compile(optimizer=tf.keras.optimizers.Adam(0.001),
                          loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
            xs, xts = x.transpose(0, 2, 3, 1), xt.transpose(0, 2, 3, 1)
            start = time.perf_counter(); model.fit(xs, y, batch_size=128, epochs=1, verbose=0); seconds = time.perf_counter() - start
            accuracy = model.evaluate(xts, yt, verbose=0)[1]
        else:
            import torch
            torch.set_num_threads(2); torch.manual_seed(1)
            nn = torch.nn
            model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                                  nn.Flatten(), nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))
            optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
            X, Y = torch.from_numpy(x), torch.from_numpy(y)
            order = torch.randperm(len(Y))
            start = time.perf_counter()
            for s in range(0, len(Y), 128):
                rows = order[s:s + 128]
                optimiser.zero_grad()
                loss = nn.functional.cross_entropy(model(X[rows]), Y[rows]); loss.backward(); optimiser.step()
            seconds = time.perf_counter() - start
            with torch.no_grad(): accuracy = float((model(torch.from_numpy(xt)).argmax(1) == torch.from_numpy(yt)).float().mean())
        print(seconds, accuracy)
        """

    /// One epoch of `peer` ("tensorflow" or "torch") on the first `images` training images: a line
    /// with its seconds, images/s and test accuracy, or why it was not measured.
    static func epoch(_ peer: String, directory: URL, images: Int) -> String {
        PythonScript.epochLine(script, peer: peer, directory: directory, examples: images, unit: "images")
    }
}
