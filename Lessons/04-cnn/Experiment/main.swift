// `course run 04`: the lecture's CNN on MNIST (being written).
import ConvolutionalNetwork
import NeuralBlocks
import NeuralKit

print(Sequential.convolutional(seed: 1).parameterCount)
