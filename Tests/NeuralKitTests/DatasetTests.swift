import Foundation
import Testing
import NeuralKit

/// The toy data sets, splitting and preprocessing. Statistical checks use a fixed seed and
/// tolerances of several standard errors.
@Suite struct DatasetTests {
    /// Per-feature mean and population standard deviation of the rows of `x` (N, D) with `label`.
    private func statistics(_ data: Dataset, label: Int) -> (mean: [Double], std: [Double], count: Int) {
        let rows = data.features.rows.enumerated().filter { data.labels[$0.offset] == label }.map { $0.element }
        let n = Double(rows.count)
        let mean = (0..<data.featureCount).map { j in rows.reduce(0.0) { $0 + Double($1[j]) } / n }
        let std = (0..<data.featureCount).map { j in
            (rows.reduce(0.0) { $0 + (Double($1[j]) - mean[j]) * (Double($1[j]) - mean[j]) } / n).squareRoot()
        }
        return (mean, std, rows.count)
    }

    private func radius(_ row: [Float]) -> Double { Double(row[0] * row[0] + row[1] * row[1]).squareRoot() }

    // MARK: Blobs

    @Test func blobsHaveShapeBalanceAndAreShuffled() {
        let data = Dataset.blobs(count: 101, centers: 3, centerBox: -3...3, features: 4, seed: 1)
        #expect(data.features.shape == [101, 4])
        #expect(data.targets.shape == [101, 1])
        #expect(data.classCount == 3)
        #expect(data.classCounts == [34, 34, 33])
        #expect(data.labels != data.labels.sorted())
    }

    @Test func blobsAreReproducibleFromTheSeed() {
        let first = Dataset.blobs(count: 50, centers: 2, centerBox: -3...3, seed: 7)
        #expect(first == Dataset.blobs(count: 50, centers: 2, centerBox: -3...3, seed: 7))
        #expect(first.features != Dataset.blobs(count: 50, centers: 2, centerBox: -3...3, seed: 8).features)
    }

    @Test func blobsCentresLieInTheBoxAndClustersHaveTheRequestedSpread() {
        let n = 6000, centers = 3, sigma = 0.5
        let data = Dataset.blobs(count: n, centers: centers, centerBox: -3...3,
                                 clusterStandardDeviation: sigma, features: 3, seed: 3)
        for c in 0..<centers {
            let s = statistics(data, label: c)
            #expect(s.count == n / centers)
            let meanError = 5 * sigma / Double(s.count).squareRoot()
            let stdError = 5 * sigma / (2 * Double(s.count)).squareRoot()
            for j in 0..<3 {
                #expect(s.mean[j] > -3 - meanError && s.mean[j] < 3 + meanError, "centre \(c): \(s.mean)")
                #expect(abs(s.std[j] - sigma) < stdError, "cluster \(c) spread \(s.std)")
            }
        }
    }

    @Test func blobsWithoutNoiseKeepEachPointWithItsLabel() {
        // σ = 0: every point is its centre, so after shuffling equal labels must mean equal rows.
        let data = Dataset.blobs(count: 40, centers: 4, clusterStandardDeviation: 0, seed: 5)
        let rows = data.features.rows
        var centreOf: [Int: [Float]] = [:]
        for (row, label) in zip(rows, data.labels) {
            if let centre = centreOf[label] { #expect(centre == row) } else { centreOf[label] = row }
            #expect(row.allSatisfy { $0 >= -10 && $0 < 10 })
        }
        #expect(Set(centreOf.values.map { $0.description }).count == 4)
    }

    // MARK: Circles and moons

    @Test func circlesHaveRadiusOneAndFactor() {
        let data = Dataset.circles(count: 201, noise: 0, factor: 0.3, seed: 2)
        #expect(data.features.shape == [201, 2])
        #expect(data.classCounts == [100, 101])
        for (row, label) in zip(data.features.rows, data.labels) {
            #expect(abs(radius(row) - (label == 0 ? 1 : 0.3)) < 1e-6)
        }
        // The 100 outer points are evenly spaced: angles k·2π/100.
        let angles = zip(data.features.rows, data.labels).filter { $0.1 == 0 }
            .map { (Foundation.atan2(Double($0.0[1]), Double($0.0[0])) + 2 * .pi).truncatingRemainder(dividingBy: 2 * .pi) }
            .sorted()
        for (k, angle) in angles.enumerated() { #expect(abs(angle - 2 * .pi * Double(k) / 100) < 1e-6) }
    }

    @Test func noisyCirclesStayNearTheirRadii() {
        let noise = 0.1
        let data = Dataset.circles(count: 4000, noise: noise, seed: 4)
        for (label, expected) in [(0, 1.0), (1, 0.8)] {
            let radii = zip(data.features.rows, data.labels).filter { $0.1 == label }.map { radius($0.0) }
            let mean = radii.reduce(0, +) / Double(radii.count)
            let std = (radii.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(radii.count)).squareRoot()
            // The radial component of the noise is ~N(0, σ²); E|r| is higher by about σ²/(2r).
            #expect(abs(mean - expected - noise * noise / (2 * expected)) < 5 * noise / Double(radii.count).squareRoot())
            #expect(abs(std - noise) < 0.1 * noise)
        }
        #expect(data == Dataset.circles(count: 4000, noise: noise, seed: 4))
        #expect(data.features != Dataset.circles(count: 4000, noise: noise, seed: 5).features)
    }

    @Test func moonsLieOnTheirHalfCircles() {
        let data = Dataset.moons(count: 101, seed: 6)
        #expect(data.features.shape == [101, 2])
        #expect(data.classCounts == [50, 51])
        var ends = 0
        for (row, label) in zip(data.features.rows, data.labels) {
            let (x, y) = (Double(row[0]), Double(row[1]))
            if label == 0 {
                #expect(abs(x * x + y * y - 1) < 1e-6 && y >= -1e-7)
            } else {
                #expect(abs((x - 1) * (x - 1) + (y - 0.5) * (y - 0.5) - 1) < 1e-6 && y <= 0.5 + 1e-7)
            }
            if abs(abs(x) - 1) < 1e-6 && abs(y) < 1e-6 && label == 0 { ends += 1 }
        }
        #expect(ends == 2)      // t = 0 and t = π are both included, as in make_moons
        let noisy = Dataset.moons(count: 101, noise: 0.2, seed: 6)
        #expect(noisy.labels != data.labels || noisy.features != data.features)
        #expect(noisy == Dataset.moons(count: 101, noise: 0.2, seed: 6))
    }

    // MARK: make_classification

    @Test func classificationHasTwoClustersAtSquareVertices() {
        let data = Dataset.classification(count: 4000, seed: 9)
        #expect(data.features.shape == [4000, 2] && data.classCount == 2)
        #expect(data == Dataset.classification(count: 4000, seed: 9))
        #expect(data.features != Dataset.classification(count: 4000, seed: 10).features)
        // 1 % of labels are redrawn, so the classes stay balanced within a few tens.
        #expect(abs(data.classCounts[0] - 2000) < 60)
        let means = (0..<2).map { statistics(data, label: $0).mean }
        for mean in means { for m in mean { #expect(abs(abs(m) - 1) < 0.2, "class means \(means)") } }
        #expect(means[0] != means[1])
        let exact = Dataset.classification(count: 11, flipFraction: 0, seed: 9)
        #expect(exact.classCounts == [6, 5])
    }

    // MARK: Regression sets

    @Test func linearFollowsTheLine() {
        let exact = Dataset.linear(count: 50, noise: 0, seed: 1)
        #expect(exact.features.shape == [50, 1] && exact.targets.shape == [50, 1] && !exact.isClassification)
        #expect(exact.targets.isApproximatelyEqual(to: 2 * exact.features + 1, absoluteTolerance: 1e-6))
        #expect(exact.features.scalars.allSatisfy { $0 >= 0 && $0 <= 1 })
        let noisy = Dataset.linear(count: 2000, slope: -1, intercept: 3, noise: 0.1, inputRange: -2...2, seed: 2)
        let residuals = (noisy.targets - (-1 * noisy.features + 3)).scalars.map(Double.init)
        let std = (residuals.reduce(0) { $0 + $1 * $1 } / Double(residuals.count)).squareRoot()
        #expect(abs(std - 0.1) < 5 * 0.1 / (2 * Double(residuals.count)).squareRoot())
        #expect(noisy.features.scalars.allSatisfy { $0 >= -2 && $0 <= 2 })
    }

    @Test func noisyCosineHasCleanAndNoisyCurves() {
        let curve = Dataset.noisyCosine(count: 1000, noise: 0.2, seed: 3)
        #expect(curve.x.shape == [1000, 1] && curve.clean.shape == [1000, 1] && curve.noisy.shape == [1000, 1])
        #expect(curve.x.scalars.first == 0 && abs(Double(curve.x.scalars.last!) - 2 * .pi) < 1e-6)
        #expect(zip(curve.x.scalars, curve.x.scalars.dropFirst()).allSatisfy { $0 < $1 })
        #expect(curve.clean.isApproximatelyEqual(to: curve.x.map { Foundation.cos($0) }, absoluteTolerance: 1e-6))
        let noise = (curve.noisy - curve.clean).scalars.map(Double.init)
        let std = (noise.reduce(0) { $0 + $1 * $1 } / Double(noise.count)).squareRoot()
        #expect(abs(std - 0.2) < 5 * 0.2 / (2 * Double(noise.count)).squareRoot())
        #expect(curve.dataset.targets == curve.noisy && curve.dataset.features == curve.x)
        #expect(Dataset.noisyCosine(count: 10, noise: 0, seed: 3).noisy == Dataset.noisyCosine(count: 10, noise: 0, seed: 3).clean)
    }

    // MARK: Logic gates

    @Test func logicGateTruthTables() {
        let inputs: Tensor = [[0, 0], [0, 1], [1, 0], [1, 1]]
        let expected: [LogicGate: Tensor] = [.and: [0, 0, 0, 1], .or: [0, 1, 1, 1], .nand: [1, 1, 1, 0], .xor: [0, 1, 1, 0]]
        for gate in LogicGate.allCases {
            let table = gate.truthTable
            #expect(table.inputs == inputs)
            #expect(table.targets == expected[gate], "\(gate)")
            #expect(gate.dataset.labels == table.targets.scalars.map { Int($0) })
            #expect(gate.dataset.classCount == 2)
        }
    }

    // MARK: Dataset, split, standardisation, one-hot

    @Test func datasetHoldsLabelsAsTargetsAndSubsetsKeepClassCount() {
        let data = Dataset(features: [[0, 1], [2, 3], [4, 5]], labels: [2, 0, 2])
        #expect(data.count == 3 && data.featureCount == 2 && data.classCount == 3)
        #expect(data.targets == [[2], [0], [2]])
        let part = data.subset([2, 0])
        #expect(part.features == [[4, 5], [0, 1]] && part.labels == [2, 2] && part.classCount == 3)
        let regression = Dataset(features: [[1], [2]], targets: Tensor([0.5, 0.25] as [Float]))
        #expect(regression.targets.shape == [2, 1] && regression.classCount == 0)
        #expect(regression.subset([1]).targets == [[0.25]])
    }

    @Test func trainTestSplitIsDisjointAndComplete() {
        // Feature i is i, so every example can be identified after the split.
        let n = 103
        let data = Dataset(features: Tensor((0..<n).map { Float($0) }).reshaped(-1, 1), labels: (0..<n).map { $0 % 2 })
        let (train, test) = data.trainTestSplit(testFraction: 0.2, seed: 11)
        #expect(test.count == 21 && train.count == 82)     // ⌈0.2 · 103⌉ = 21, as scikit-learn
        let trainIDs = train.features.scalars.map { Int($0) }, testIDs = test.features.scalars.map { Int($0) }
        #expect(Set(trainIDs).isDisjoint(with: testIDs))
        #expect((trainIDs + testIDs).sorted() == Array(0..<n))
        #expect(zip(trainIDs, train.labels).allSatisfy { $0 % 2 == $1 })
        #expect(testIDs != testIDs.sorted())
        #expect(data.trainTestSplit(testFraction: 0.2, seed: 11).test == test)
        #expect(data.trainTestSplit(testFraction: 0.2, seed: 12).test != test)
        let small = data.subset(Array(0..<10)).trainTestSplit(testFraction: 0.7, seed: 1)
        #expect(small.test.count == 7 && small.train.count == 3)
        let shuffled = data.shuffled(seed: 3)
        #expect(shuffled.features.scalars.map { Int($0) }.sorted() == Array(0..<n))
        #expect(zip(shuffled.features.scalars, shuffled.labels).allSatisfy { Int($0) % 2 == $1 })
    }

    @Test func standardizerMatchesNumPyAndIsFittedOnTheTrainingSet() {
        // np.mean / np.std (population) of [[1, 10], [2, 10], [3, 10], [6, 10]].
        let train: Tensor = [[1, 10], [2, 10], [3, 10], [6, 10]]
        let scaler = Standardizer(fitting: train)
        #expect(scaler.mean == [3, 10])
        #expect(scaler.standardDeviation.isApproximatelyEqual(to: [1.8708286933869707, 1], relativeTolerance: 1e-6))
        let z = scaler.transform(train)
        #expect(z.column(1) == Tensor.zeros(4, 1))          // constant feature → 0, not NaN
        #expect(scaler.inverseTransform(z).isApproximatelyEqual(to: train))
        let test: Tensor = [[4, 12]]
        #expect(scaler.transform(test).isApproximatelyEqual(to: [[0.5345224838248488, 2]]))     // (4 − 3)/1.8708
    }

    @Test func standardizedTrainingFeaturesHaveMeanZeroAndUnitSpread() {
        let data = Dataset.blobs(count: 500, centers: 2, centerBox: -3...3, clusterStandardDeviation: 2, features: 3, seed: 21)
        let (train, test) = data.trainTestSplit(testFraction: 0.25, seed: 22)
        let scaler = Standardizer(fitting: train.features)
        let z = scaler.transform(train)
        #expect(z.labels == train.labels)
        for m in z.features.mean(axis: 0).scalars { #expect(abs(m) < 1e-5) }
        for s in z.features.squared().mean(axis: 0).scalars { #expect(abs(s - 1) < 1e-5) }
        // The test set is transformed with the training statistics, so its mean is not exactly 0.
        let zt = scaler.transform(test.features)
        #expect(zt.isApproximatelyEqual(to: (test.features - scaler.mean) / scaler.standardDeviation))
        #expect(zt.mean(axis: 0).scalars.contains { abs($0) > 1e-5 })
    }

    @Test func oneHotEncodesClassIndices() {
        let encoded = oneHot(labels: [2, 0, 1, 2], classes: 3)
        #expect(encoded == [[0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1]])
        #expect(encoded.argmax(axis: 1) == [2, 0, 1, 2])
        #expect(oneHot(labels: [], classes: 4).shape == [0, 4])
        let data = Dataset(features: Tensor.zeros(2, 1), labels: [1, 0], classCount: 4)
        #expect(data.oneHotLabels() == [[0, 1, 0, 0], [1, 0, 0, 0]])
    }
}
