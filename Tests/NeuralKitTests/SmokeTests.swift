import Testing
import NeuralKit

@Test func tensorLiteralHasShape() {
    let x: Tensor = [[1, 2, 3], [4, 5, 6]]
    #expect(x.shape == [2, 3])
    #expect(x[1, 2] == 6)
}
