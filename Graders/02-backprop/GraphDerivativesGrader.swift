import Backpropagation
import CourseGrading
import NeuralKit
import Testing

@Suite struct GraphDerivativesGrader {
    /// Checks a ValueAndGradient against (value, ∂/∂x, ∂/∂y).
    func expectNode(_ got: ValueAndGradient, _ value: Double, _ dx: Double, _ dy: Double, _ name: String,
                    sourceLocation: SourceLocation = #_sourceLocation) {
        expectClose(got.value, value, "\(name): value", sourceLocation: sourceLocation)
        expectClose(got.dx, dx, "\(name): ∂/∂x", sourceLocation: sourceLocation)
        expectClose(got.dy, dy, "\(name): ∂/∂y", sourceLocation: sourceLocation)
    }

    /// The points where the graph's gradient is checked.
    static let points: [(Double, Double)] = [(1, 2), (-0.5, 0.3), (2, -3), (0.7, 0.7), (-1.2, -0.4)]

    /// f(x, y) = x² + xy + (x + y)², written directly (not through a graph).
    static func f(_ x: Double, _ y: Double) -> Double { x * x + x * y + (x + y) * (x + y) }

    /// A finite-difference check of ∂f/∂x, ∂f/∂y from `gradient` at every test point.
    func checkGraphGradient(_ name: String, _ gradient: (Double, Double) -> ValueAndGradient,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        let checker = GradientChecker()
        for (x, y) in Self.points {
            let node = gradient(x, y)
            let report = checker.check(name: "(x, y)", at: Tensor([Float(x), Float(y)]),
                                       analytic: Tensor([Float(node.dx), Float(node.dy)])) { point in
                Float(Self.f(Double(point[0]), Double(point[1])))
            }
            if !report.passed {
                Issue.record(Comment(rawValue: "\(name)(x: \(x), y: \(y)) gives ∂f/∂x = \(node.dx), ∂f/∂y = \(node.dy); they should be 2x + y + 2(x + y) = \(2 * x + y + 2 * (x + y)) and x + 2(x + y) = \(x + 2 * (x + y)). x reaches f along three paths (through a, b and s) and y along two (b and s): each derivative adds up its paths. In the report below C is f, entry [0] is ∂f/∂x and [1] is ∂f/∂y."),
                             sourceLocation: sourceLocation)
                expectGradient(report, sourceLocation: sourceLocation)
                return
            }
        }
    }

    @Test("sum rule: (u + v)′ = u′ + v′", .points(1))
    func sumRule() {
        expectNode(.x(1) + .y(2), 3, 1, 1, "x + y at (1, 2)")
        expectNode(.x(4) + .x(4), 8, 2, 0, "x + x at x = 4")
        expectNode(ValueAndGradient(value: 2, dx: 3, dy: -1) + ValueAndGradient(value: 5, dx: -1, dy: 4), 7, 2, 3,
                   "(2, 3, −1) + (5, −1, 4)")
    }

    @Test("product rule: (u·v)′ = u′·v + u·v′", .points(1))
    func productRule() {
        expectNode(.x(3) * .y(-2), -6, -2, 3, "x·y at (3, −2)")
        // value 2·5; ∂/∂x = 3·5 + 2·(−1) = 13; ∂/∂y = (−1)·5 + 2·4 = 3
        expectNode(ValueAndGradient(value: 2, dx: 3, dy: -1) * ValueAndGradient(value: 5, dx: -1, dy: 4), 10, 13, 3,
                   "(2, 3, −1) · (5, −1, 4)")
    }

    @Test("chain rule through a square: (u²)′ = 2u·u′", .points(1))
    func chainRuleSquare() {
        expectNode(ValueAndGradient.x(3).squared(), 9, 6, 0, "x² at x = 3")
        expectNode(ValueAndGradient(value: 2, dx: 3, dy: -1).squared(), 4, 12, -4, "(2, 3, −1)²")
    }

    @Test("the lecture's f(1, 2) = 12 with ∂f/∂x = 10 and ∂f/∂y = 7, carried forward through the graph", .points(1))
    func lectureExampleForward() {
        expectNode(lectureFunction(x: 1, y: 2), 12, 10, 7, "lectureFunction(x: 1, y: 2)")
    }

    @Test("the forward-mode gradient of f passes a gradient check at five points", .points(1))
    func forwardGradientCheck() {
        checkGraphGradient("lectureFunction", lectureFunction)
        expectClose(lectureFunction(x: -0.5, y: 0.3).value, Self.f(-0.5, 0.3), "lectureFunction(x: −0.5, y: 0.3).value")
    }

    @Test("the backward pass through the graph gives f(1, 2) = 12, ∂f/∂x = 10, ∂f/∂y = 7", .points(1))
    func lectureExampleBackward() {
        expectNode(lectureFunctionBackward(x: 1, y: 2), 12, 10, 7, "lectureFunctionBackward(x: 1, y: 2)")
    }

    @Test("the backward pass through the graph passes a gradient check at five points", .points(2))
    func backwardGradientCheck() {
        checkGraphGradient("lectureFunctionBackward", lectureFunctionBackward)
        expectClose(lectureFunctionBackward(x: 2, y: -3).value, Self.f(2, -3), "lectureFunctionBackward(x: 2, y: −3).value")
    }
}
