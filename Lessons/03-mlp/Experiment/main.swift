// `course run 03` (being written).
import MultilayerPerceptron
import NeuralKit
print("experiment 03: not written yet")
