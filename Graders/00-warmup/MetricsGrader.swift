import CourseGrading
import NeuralKit
import Testing
import WarmUp

@Suite struct MetricsGrader {
    @Test("mean squared error of the lesson's example is 2", .points(1))
    func lessonExample() {
        expectClose(meanSquaredError([1, 2], [1, 4]), 2, "meanSquaredError([1, 2], [1, 4])")
    }

    @Test("mean squared error averages over every entry of a matrix", .points(2))
    func averagesOverAllEntries() {
        // 6 entries, squared differences 1, 0, 4, 0, 9, 2.25: the mean is 16.25 / 6.
        let p: Tensor = [[1, 2, 3], [4, 5, 6]]
        let t: Tensor = [[0, 2, 1], [4, 2, 7.5]]
        expectClose(meanSquaredError(p, t), 16.25 / 6, "meanSquaredError of two (2, 3) matrices")
    }

    @Test("accuracy counts matching predictions", .points(1))
    func accuracyExample() {
        expectClose(accuracy(predictions: [0, 1, 1, 0], labels: [0, 1, 0, 0]), 0.75, "accuracy([0, 1, 1, 0], [0, 1, 0, 0])")
        expectClose(accuracy(predictions: [2, 2, 2], labels: [0, 1, 2]), 1.0 / 3, "accuracy of 1 correct out of 3")
        expectClose(accuracy(predictions: [5], labels: [5]), 1, "accuracy of a single correct prediction")
    }
}
