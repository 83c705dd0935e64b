import NeuralBlocks
import NeuralKit
import RecurrentNetwork

var g = SeededGenerator(seed: 7)
let (N, D, H, T) = (3, 2, 4, 5)
let xs = (0..<T).map { _ in Tensor.uniform([N, D], low: -1, high: 1, using: &g) }
let R = (0..<T).map { _ in Tensor.uniform([N, H], low: -1, high: 1, using: &g) }
var layer = LSTMLayer(inputs: D, hidden: H, using: &g)
layer.cell.bias = Tensor.uniform([4 * H], low: -1, high: 1, using: &g)
let h0 = Tensor.uniform([N, H], low: -1, high: 1, using: &g)
let c0 = Tensor.uniform([N, H], low: -1, high: 1, using: &g)
func lossOf(_ l: LSTMLayer, _ xs: [Tensor], _ h: Tensor, _ c: Tensor) -> Float {
    let hs = l.forward(xs, initial: LSTMState(hidden: h, cell: c)).hiddens
    return zip(hs, R).reduce(0) { $0 + ($1.0 * $1.1).sum() }
}
let run = layer.forward(xs, initial: LSTMState(hidden: h0, cell: c0))
let grads = layer.backward(hiddenGradients: R, cache: run.cache)
let checker = GradientChecker(tolerance: 1e-2)
print(checker.check(name: "W", at: layer.cell.weight, analytic: grads.weight) { w in var l = layer; l.cell.weight = w; return lossOf(l, xs, h0, c0) })
print(checker.check(name: "b", at: layer.cell.bias, analytic: grads.bias) { b in var l = layer; l.cell.bias = b; return lossOf(l, xs, h0, c0) })
print(checker.check(name: "h0", at: h0, analytic: grads.initialHidden) { lossOf(layer, xs, $0, c0) })
print(checker.check(name: "c0", at: c0, analytic: grads.initialCell) { lossOf(layer, xs, h0, $0) })
print(checker.check(name: "x2", at: xs[2], analytic: grads.inputs[2]) { x in var v = xs; v[2] = x; return lossOf(layer, v, h0, c0) })

var rnn = RNNLayer(inputs: D, hidden: H, using: &g)
func rnnLoss(_ l: RNNLayer, _ xs: [Tensor], _ h: Tensor) -> Float {
    zip(l.forward(xs, initial: h).hiddens, R).reduce(0) { $0 + ($1.0 * $1.1).sum() }
}
let rrun = rnn.forward(xs, initial: h0)
let rg = rnn.backward(hiddenGradients: R, cache: rrun.cache)
print(checker.check(name: "rnn W", at: rnn.cell.weight, analytic: rg.weight) { w in var l = rnn; l.cell.weight = w; return rnnLoss(l, xs, h0) })
print(checker.check(name: "rnn h0", at: h0, analytic: rg.initialHidden) { rnnLoss(rnn, xs, $0) })
print(checker.check(name: "rnn x0", at: xs[0], analytic: rg.inputs[0]) { x in var v = xs; v[0] = x; return rnnLoss(rnn, v, h0) })

// Models
let clf = SequenceClassifier(recurrent: layer, output: Dense(inputs: H, outputs: 3, using: &g))
let labels = [0, 2, 1]
let cg = clf.lossAndGradients(xs, labels: labels)
for k in 0..<4 {
    print(checker.check(name: "clf p\(k)", at: clf.parameters[k], analytic: cg.gradients[k]) { p in var m = clf; var ps = m.parameters; ps[k] = p; m.parameters = ps; return m.lossAndGradients(xs, labels: labels).loss })
}
let reber = ReberGrammar(embedded: true)
let strings = (0..<4).map { _ in reber.generate(using: &g) }
print(strings.map(ReberGrammar.text))
let s = ReberGrammar.symbols(of: "BTSXXTVVE")
print(ReberGrammar(embedded: false).nextSymbolTargets(s))
let one = reber.batch([strings[0], strings[0]])
var nsm = NextSymbolModel(recurrent: RNNLayer(inputs: 7, hidden: 5, using: &g), output: Dense(inputs: 5, outputs: 7, using: &g))
let ng = nsm.lossAndGradients(one.inputs, possibleNext: one.targets)
for k in 0..<4 {
    print(checker.check(name: "nsm p\(k)", at: nsm.parameters[k], analytic: ng.gradients[k]) { p in var m = nsm; var ps = m.parameters; ps[k] = p; m.parameters = ps; return m.lossAndGradients(one.inputs, possibleNext: one.targets).loss })
}
// Examples in doc comments
let ex = LSTMCell(weight: Tensor.zeros(2, 4), bias: Tensor([0, 0, 0, 1] as [Float]))
let f = ex.forward([[0]], state: LSTMState.zeros(batch: 1, hidden: 1))
print(f.state.cell, f.state.hidden)
let b = ex.backward(hiddenGradient: [[1]], cellGradient: [[0]], cache: f.cache)
print(b.cell, b.bias)
let rc = RNNCell(weight: [[1], [2]], bias: [0])
let rf = rc.forward([[0.5]], hidden: [[0.25]])
let rb = rc.backward(hiddenGradient: [[1]], cache: rf.cache)
print(rf.hidden, rb.bias, rb.weight, rb.input, rb.hidden)
print(clipByGlobalNorm([[3], [4]], maximumNorm: 1))
print(sigmoidCrossEntropy(logits: [[0, 0]], targets: [[1, 0]]))
print(rowSequence([[1, 2, 3, 4], [5, 6, 7, 8]], rows: 2))
print(gateBlocks([[1, 2, 3, 4, 5, 6, 7, 8]], hidden: 2))
var counts = [0, 0]
for _ in 0..<10000 { counts[sample(logits: Tensor([0, 1.0986123] as [Float]), temperature: 1, using: &g)] += 1 }
print(counts)
