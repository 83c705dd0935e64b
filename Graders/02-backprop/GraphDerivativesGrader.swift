import Backpropagation
import CourseGrading
import NeuralKit
import Testing

/// The graph f(x, y) = x² + xy + (x + y)² and its rules, checked at the lesson's point and at
/// points drawn fresh for every grading run (a function that knows only (1, 2), or ignores an
/// input, fails). Everything is in Double, so the comparison is to 10⁻⁹.
@Suite struct GraphDerivativesGrader {
    static let tolerance = 1e-9

    /// Checks a ValueAndGradient against (value, ∂/∂x, ∂/∂y).
    @discardableResult
    func expectNode(_ got: ValueAndGradient, _ value: Double, _ dx: Double, _ dy: Double, _ name: String,
                    sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        [expectClose(got.value, value, "\(name): value", tolerance: Self.tolerance, sourceLocation: sourceLocation),
         expectClose(got.dx, dx, "\(name): ∂/∂x", tolerance: Self.tolerance, sourceLocation: sourceLocation),
         expectClose(got.dy, dy, "\(name): ∂/∂y", tolerance: Self.tolerance, sourceLocation: sourceLocation)].allSatisfy { $0 }
    }

    /// Fresh numbers in [−3, 3], none of them 0, 1 or 2 exactly.
    static func freshNumbers(_ purpose: String, _ count: Int) -> [Double] {
        var g = GradingSeed.generator(purpose)
        return (0..<count).map { _ in
            let magnitude = g.uniform(0.3, 3)
            return g.nextInt(below: 2) == 0 ? magnitude : -magnitude
        }
    }

    /// A fresh node (value, ∂/∂x, ∂/∂y).
    static func freshNode(_ purpose: String) -> ValueAndGradient {
        let v = freshNumbers(purpose, 3)
        return ValueAndGradient(value: v[0], dx: v[1], dy: v[2])
    }

    /// f(x, y) = x² + xy + (x + y)², written directly (not through a graph).
    static func f(_ x: Double, _ y: Double) -> Double { x * x + x * y + (x + y) * (x + y) }

    /// f, ∂f/∂x and ∂f/∂y from `function` at four fresh points.
    func checkFreshPoints(_ name: String, _ purpose: String, _ function: (Double, Double) -> ValueAndGradient,
                          sourceLocation: SourceLocation = #_sourceLocation) {
        let numbers = Self.freshNumbers(purpose, 8)
        for i in stride(from: 0, to: 8, by: 2) {
            let (x, y) = (numbers[i], numbers[i + 1])
            let node = function(x, y)
            let (dx, dy) = (2 * x + y + 2 * (x + y), x + 2 * (x + y))
            guard expectNode(node, Self.f(x, y), dx, dy, "\(name)(x: \(x), y: \(y))", sourceLocation: sourceLocation) else {
                recordFailure("\(name) should be right at every point, not only at (1, 2): at (\(x), \(y)) ∂f/∂x = 2x + y + 2(x + y) = \(dx) and ∂f/∂y = x + 2(x + y) = \(dy). x reaches f along three paths (through a, b and s) and y along two (b and s): each derivative adds up its paths, each path being the product of the local derivatives along it, evaluated at this x and y.",
                              sourceLocation: sourceLocation)
                return
            }
        }
    }

    @Test("sum rule: (u + v)′ = u′ + v′", .points(1))
    func sumRule() {
        expectNode(.x(1) + .y(2), 3, 1, 1, "x + y at (1, 2)")
        let (u, v) = (Self.freshNode("Graph.sum.u"), Self.freshNode("Graph.sum.v"))
        expectNode(u + v, u.value + v.value, u.dx + v.dx, u.dy + v.dy, "(\(u)) + (\(v))")
    }

    @Test("product rule: (u·v)′ = u′·v + u·v′", .points(1))
    func productRule() {
        expectNode(.x(3) * .y(-2), -6, -2, 3, "x·y at (3, −2)")
        let (u, v) = (Self.freshNode("Graph.product.u"), Self.freshNode("Graph.product.v"))
        expectNode(u * v, u.value * v.value, u.dx * v.value + u.value * v.dx, u.dy * v.value + u.value * v.dy, "(\(u)) · (\(v))")
    }

    @Test("chain rule through a square: (u²)′ = 2u·u′", .points(1))
    func chainRuleSquare() {
        expectNode(ValueAndGradient.x(3).squared(), 9, 6, 0, "x² at x = 3")
        let u = Self.freshNode("Graph.square.u")
        expectNode(u.squared(), u.value * u.value, 2 * u.value * u.dx, 2 * u.value * u.dy, "(\(u))²")
    }

    @Test("the lecture's f(1, 2) = 12 with ∂f/∂x = 10 and ∂f/∂y = 7, carried forward through the graph", .points(1))
    func lectureExampleForward() {
        expectNode(lectureFunction(x: 1, y: 2), 12, 10, 7, "lectureFunction(x: 1, y: 2)")
    }

    @Test("the forward-mode f and its gradient are right at fresh points", .points(1))
    func forwardFreshPoints() {
        checkFreshPoints("lectureFunction", "Graph.forward.points", lectureFunction)
    }

    @Test("the backward pass through the graph gives f(1, 2) = 12, ∂f/∂x = 10, ∂f/∂y = 7", .points(1))
    func lectureExampleBackward() {
        expectNode(lectureFunctionBackward(x: 1, y: 2), 12, 10, 7, "lectureFunctionBackward(x: 1, y: 2)")
    }

    @Test("the backward pass through the graph is right at fresh points", .points(2))
    func backwardFreshPoints() {
        checkFreshPoints("lectureFunctionBackward", "Graph.backward.points", lectureFunctionBackward)
    }
}
