// The peers of `course-bench lesson05`: MNIST read row by row by one LSTM layer of 128 units and a
// dense layer of 10, in PyTorch CPU and in Keras (TensorFlow CPU), one epoch on the toolkit's own
// MNIST files with Adam(0.001), batches of 128 and gradients clipped to norm 5, as ours. Prints
// `seconds accuracy`.
import Foundation

enum LSTMPythonPeer {
    static let script = """
        \(PythonScript.mnistPrologue(shape: "-1, 28, 28"))
        if peer == "tensorflow":
            import tensorflow as tf
            tf.config.threading.set_intra_op_parallelism_threads(2)
            model = tf.keras.Sequential([tf.keras.layers.Input((28, 28)), tf.keras.layers.LSTM(128), tf.keras.layers.Dense(10)])
            model.compile(optimizer=tf.keras.optimizers.Adam(0.001, global_clipnorm=5.0),
                          loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True), metrics=["accuracy"])
            start = time.perf_counter(); model.fit(x, y, batch_size=128, epochs=1, verbose=0); seconds = time.perf_counter() - start
            accuracy = model.evaluate(xt, yt, verbose=0)[1]
        else:
            import torch
            torch.set_num_threads(2); torch.manual_seed(1)
            nn = torch.nn
            class Model(nn.Module):
                def __init__(self):
                    super().__init__(); self.lstm = nn.LSTM(28, 128, batch_first=True); self.dense = nn.Linear(128, 10)
                def forward(self, x):
                    h, _ = self.lstm(x); return self.dense(h[:, -1])
            model = Model()
            optimiser = torch.optim.Adam(model.parameters(), lr=1e-3)
            X, Y = torch.from_numpy(x), torch.from_numpy(y)
            order = torch.randperm(len(Y))
            start = time.perf_counter()
            for s in range(0, len(Y), 128):
                rows = order[s:s + 128]
                optimiser.zero_grad()
                loss = nn.functional.cross_entropy(model(X[rows]), Y[rows]); loss.backward()
                nn.utils.clip_grad_norm_(model.parameters(), 5.0); optimiser.step()
            seconds = time.perf_counter() - start
            with torch.no_grad(): accuracy = float((model(torch.from_numpy(xt)).argmax(1) == torch.from_numpy(yt)).float().mean())
        print(seconds, accuracy)
        """

    /// One epoch of `peer` ("tensorflow" or "torch") on the first `images` training images: a line
    /// with its seconds, sequences/s and test accuracy, or why it was not measured.
    static func epoch(_ peer: String, directory: URL, images: Int) -> String {
        PythonScript.epochLine(script, peer: peer, directory: directory, examples: images, unit: "sequences")
    }
}
