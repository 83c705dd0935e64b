import NeuralKit

// Classifying images by their codes. Shapes: N codes of K entries, C classes.
//
// The autoencoder never saw a label, yet similar images get similar codes, so each class gathers
// in its own region of the code space. Nearest centroid: the mean code of each class,
//
//     μ_c = (1/N_c) Σ_{n: y_n = c} h_n                 (C, K)
//     predict(h) = argmin_c ‖h − μ_c‖²                  ties → the lowest c
//
// Only the C means use labels: a few labelled images per class are enough to name the clusters.

/// A nearest-centroid classifier on codes.
public struct NearestCentroid: Sendable {
    /// μ, shape (C, K): row c is the mean code of class c.
    public var centroids: Tensor

    /// The class means of some labelled codes.
    /// - Parameters:
    ///   - codes: h, shape (N, K).
    ///   - labels: N classes in 0..<classes; every class at least once.
    ///   - classes: C ≥ 1.
    ///   Example: codes [[0, 0], [2, 0], [5, 5]], labels [0, 0, 1], classes 2 → centroids
    ///   [[1, 0], [5, 5]].
    public init(codes: Tensor, labels: [Int], classes: Int) {
        precondition(codes.rank == 2 && codes.shape[0] == labels.count && classes >= 1,
                     "NearestCentroid: codes must be (N, K) with N = \(labels.count) labels, and classes ≥ 1; got \(codes.shapeDescription), \(classes)")
        precondition(labels.allSatisfy { (0..<classes).contains($0) }, "NearestCentroid: every label must be in 0..<\(classes)")
        precondition(Set(labels).count == classes, "NearestCentroid: every class 0..<\(classes) needs at least one code")
        // TODO: add each code to its class's row of a (C, K) sum, count the codes of each class, and
        // divide each row by its count.
        centroids = unimplemented(Tensor.zeros(classes, codes.shape[1]))
    }

    /// The class of the nearest centroid for every code.
    /// - Parameter codes: h, shape (M, K).
    /// - Returns: M classes: argmin_c ‖h_m − μ_c‖², the lowest c on ties.
    ///   Example: the centroids above and codes [[4, 4], [3, 2.5]] → [1, 0] ([3, 2.5] is at squared
    ///   distance 10.25 from [1, 0] and 10.25 from [5, 5]: a tie, class 0).
    public func predict(_ codes: Tensor) -> [Int] {
        precondition(codes.rank == 2 && codes.shape[1] == centroids.shape[1],
                     "NearestCentroid.predict: codes must be (M, \(centroids.shape[1])), got \(codes.shapeDescription)")
        // TODO: for each code, the squared distance to every centroid; keep the first smallest
        // (replace only on a strictly smaller distance).
        return unimplemented([Int](repeating: 0, count: codes.shape[0]))
    }
}
