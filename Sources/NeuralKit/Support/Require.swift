/// Stops the program with `message` when `condition` is false — like `precondition`, but the
/// message is printed in optimised builds too.
///
/// NeuralKit is always compiled with `-O`, and there `precondition` traps without its message; a
/// student would read "precondition failure" instead of
/// "matmul: (3, 4) × (5, 2) — inner dimensions 4 and 5 differ". `fatalError` keeps its message in
/// every build mode, so every check of NeuralKit goes through this function.
@inline(__always)
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
             file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError(message(), file: file, line: line) }
}
