import NeuralKit

// The chain rule on the lecture's computational graph
//
//     f(x, y) = x² + xy + (x + y)²
//
// drawn as nodes  a = x²,  b = x·y,  s = x + y,  c = s²,  f = a + b + c.
// Its derivatives, for checking: ∂f/∂x = 2x + y + 2(x + y),  ∂f/∂y = x + 2(x + y).

/// A number computed from the graph's two inputs x and y, carried together with its partial
/// derivatives with respect to them: (value, ∂/∂x, ∂/∂y).
///
/// Every operation on two such numbers returns the value of the new node *and* its derivatives,
/// from the chain rule applied along the graph's edges. Build f from the inputs with `+`, `*` and
/// `squared()`, and its derivatives come out with it.
///
///     let x = ValueAndGradient.x(3), y = ValueAndGradient.y(-2)
///     (x * y)   // value −6, ∂/∂x = y = −2, ∂/∂y = x = 3
public struct ValueAndGradient: Sendable, Equatable, CustomStringConvertible {
    /// The node's value.
    public var value: Double
    /// ∂(node)/∂x.
    public var dx: Double
    /// ∂(node)/∂y.
    public var dy: Double

    public init(value: Double, dx: Double, dy: Double) {
        self.value = value
        self.dx = dx
        self.dy = dy
    }

    /// The input x itself: ∂x/∂x = 1, ∂x/∂y = 0.
    public static func x(_ value: Double) -> ValueAndGradient { ValueAndGradient(value: value, dx: 1, dy: 0) }

    /// The input y itself: ∂y/∂x = 0, ∂y/∂y = 1.
    public static func y(_ value: Double) -> ValueAndGradient { ValueAndGradient(value: value, dx: 0, dy: 1) }

    /// `value 12.0, ∂/∂x 10.0, ∂/∂y 7.0`.
    public var description: String { "value \(value), ∂/∂x \(dx), ∂/∂y \(dy)" }

    /// The sum rule: (u + v)′ = u′ + v′, for ∂/∂x and for ∂/∂y.
    /// - Returns: for u = x(1), v = y(2): value 3, ∂/∂x 1, ∂/∂y 1.
    public static func + (u: ValueAndGradient, v: ValueAndGradient) -> ValueAndGradient {
        // TODO: add the values, and add the derivatives (∂/∂x with ∂/∂x, ∂/∂y with ∂/∂y).
        return unimplemented(ValueAndGradient(value: 0, dx: 0, dy: 0))
    }

    /// The product rule: (u·v)′ = u′·v + u·v′, for ∂/∂x and for ∂/∂y.
    /// - Returns: for u = x(3), v = y(−2): value −6, ∂/∂x −2, ∂/∂y 3.
    public static func * (u: ValueAndGradient, v: ValueAndGradient) -> ValueAndGradient {
        // TODO: multiply the values; each derivative has two terms.
        return unimplemented(ValueAndGradient(value: 0, dx: 0, dy: 0))
    }

    /// The chain rule through g(u) = u²: (u²)′ = g′(u)·u′ = 2u·u′.
    /// - Returns: for u = x(3): value 9, ∂/∂x 6, ∂/∂y 0.
    public func squared() -> ValueAndGradient {
        // TODO: the value is u²; each derivative is the outer derivative 2u times the inner one.
        return unimplemented(ValueAndGradient(value: 0, dx: 0, dy: 0))
    }
}

/// f(x, y) = x² + xy + (x + y)², built node by node from `ValueAndGradient` operations, so that
/// the derivatives are carried forward along the graph with the value.
/// - Returns: f and its gradient; f(1, 2) = 12 with ∂f/∂x = 10, ∂f/∂y = 7.
public func lectureFunction(x: Double, y: Double) -> ValueAndGradient {
    // TODO: start from ValueAndGradient.x(x) and .y(y); make the nodes a = x², b = x·y,
    // s = x + y, c = s², then f = a + b + c.
    return unimplemented(ValueAndGradient(value: 0, dx: 0, dy: 0))
}

/// The same f and gradient by a backward pass through the graph, the way backpropagation goes:
/// first the node values from the inputs up to f, then ∂f/∂(node) from f back down to x and y.
///
/// Going down, each node passes ∂f/∂(node) times the local derivative of the edge to each of its
/// inputs; an input reached along several edges (x feeds a, b and s) adds up what arrives:
///
///     ∂f/∂a = ∂f/∂b = ∂f/∂c = 1,   ∂f/∂s = ∂f/∂c · 2s,
///     ∂f/∂x = ∂f/∂a · 2x + ∂f/∂b · y + ∂f/∂s · 1,   ∂f/∂y = ∂f/∂b · x + ∂f/∂s · 1.
/// - Returns: f and its gradient as a `ValueAndGradient`; f(1, 2) = 12, ∂f/∂x = 10, ∂f/∂y = 7.
public func lectureFunctionBackward(x: Double, y: Double) -> ValueAndGradient {
    // TODO: forward: s, a, b, c, f as plain Doubles. Backward: ∂f/∂a, ∂f/∂b, ∂f/∂c, then ∂f/∂s,
    // then ∂f/∂x and ∂f/∂y, summing over every edge out of x (and out of y).
    return unimplemented(ValueAndGradient(value: 0, dx: 0, dy: 0))
}
