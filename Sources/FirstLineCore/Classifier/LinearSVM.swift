import Dispatch

/// Rows of a sparse matrix stored back to back (compressed sparse rows).
struct SparseRows: Sendable {
    private(set) var starts: [Int] = [0]
    private(set) var indices: [Int32] = []
    private(set) var values: [Float] = []

    var count: Int { starts.count - 1 }

    mutating func append(_ vector: SparseVector) {
        indices.append(contentsOf: vector.indices)
        values.append(contentsOf: vector.values)
        starts.append(indices.count)
    }

    func squaredNorm(_ row: Int) -> Double {
        var sum = 0.0
        for position in starts[row]..<starts[row + 1] { sum += Double(values[position]) * Double(values[position]) }
        return sum
    }
}

/// One-vs-rest linear support vector machines: for each class, an L2-regularised, squared-hinge
/// SVM separating it from all the others, solved in the dual by coordinate descent
/// (Hsieh et al., "A Dual Coordinate Descent Method for Large-scale Linear SVM", ICML 2008 —
/// the method of liblinear and of scikit-learn's LinearSVC).
///
/// Why this method: each step touches one training row only, so an epoch costs one pass over the
/// non-zeros; rows that are confidently on the right side are "shrunk" out of later epochs,
/// which in one-vs-rest is most of them; and the squared hinge gives smooth, well-scaled scores.
/// The bias is an extra constant feature, regularised like the others, as in liblinear.
enum LinearSVM {
    struct Parameters: Sendable {
        /// C: the price of a margin violation against the size of the weights.
        var cost: Double
        /// The value of the constant feature that carries the bias.
        var bias: Double
        var maximumEpochs: Int
        /// Stop when the projected gradients of all rows lie within this width.
        var tolerance: Double
        var seed: UInt64
        var parallel: Bool
    }

    /// Weights feature by feature (`feature * classCount + class`), the order in which scoring
    /// reads them, and one bias weight per class.
    struct Model: Sendable {
        var weights: [Float]
        var biases: [Float]
    }

    /// `labels[i]` is the class (0 ..< classCount) of `rows` row `i`.
    static func train(rows: SparseRows, labels: [Int], classCount: Int, featureCount: Int,
                      parameters: Parameters) -> Model {
        let squaredNorms = (0..<rows.count).map(rows.squaredNorm)
        var weights = [Float](repeating: 0, count: featureCount * classCount)
        var biases = [Float](repeating: 0, count: classCount)
        // Classes are independent problems with their own seeded order, so running them side by
        // side gives bit-for-bit the result of running them one after another.
        weights.withUnsafeMutableBufferPointer { weightSlots in
            biases.withUnsafeMutableBufferPointer { biasSlots in
                let weightOutput = DisjointSlots(buffer: weightSlots), biasOutput = DisjointSlots(buffer: biasSlots)
                let work: @Sendable (Int) -> Void = { label in
                    let (classWeights, bias) = trainBinary(rows: rows, squaredNorms: squaredNorms, labels: labels,
                                                           positive: label, featureCount: featureCount, parameters: parameters)
                    for (feature, weight) in classWeights.enumerated() {
                        weightOutput.buffer[feature * classCount + label] = Float(weight)
                    }
                    biasOutput.buffer[label] = bias
                }
                if parameters.parallel, classCount > 1 {
                    DispatchQueue.concurrentPerform(iterations: classCount, execute: work)
                } else {
                    for label in 0..<classCount { work(label) }
                }
            }
        }
        return Model(weights: weights, biases: biases)
    }

    static func trainBinary(rows: SparseRows, squaredNorms: [Double], labels: [Int], positive: Int,
                            featureCount: Int, parameters: Parameters) -> (weights: [Double], bias: Float) {
        let count = rows.count
        // Squared hinge: the dual has no upper bound on alpha, and 1/(2C) added to the diagonal.
        let diagonal = 0.5 / parameters.cost
        let bias = parameters.bias
        var weights = [Double](repeating: 0, count: featureCount)
        var biasWeight = 0.0
        var alpha = [Double](repeating: 0, count: count)
        var order = Array(0..<count)
        var active = count
        var random = SplitMix64(seed: parameters.seed ^ (UInt64(positive) &* 0x9E37_79B9_7F4A_7C15))
        var upperOld = Double.infinity
        let signs: [Double] = labels.map { $0 == positive ? 1 : -1 }
        let curvature: [Double] = squaredNorms.map { $0 + bias * bias + diagonal }

        rows.indices.withUnsafeBufferPointer { indices in
            rows.values.withUnsafeBufferPointer { values in
                rows.starts.withUnsafeBufferPointer { starts in
                    weights.withUnsafeMutableBufferPointer { w in
                        var epoch = 0
                        while epoch < parameters.maximumEpochs {
                            epoch += 1
                            var upperNew = -Double.infinity, lowerNew = Double.infinity
                            for position in stride(from: active - 1, to: 0, by: -1) {
                                order.swapAt(position, Int(random.next() % UInt64(position + 1)))
                            }
                            var step = 0
                            while step < active {
                                let row = order[step]
                                let sign = signs[row]
                                let start = starts[row], end = starts[row + 1]
                                var margin = biasWeight * bias
                                for position in start..<end {
                                    margin += w[Int(indices[position])] * Double(values[position])
                                }
                                let gradient = margin * sign - 1 + alpha[row] * diagonal
                                var projected = 0.0
                                if alpha[row] == 0 {
                                    if gradient > upperOld {
                                        // Right by a wide margin and with nothing to give back:
                                        // left out of the next epochs, until the final check.
                                        active -= 1
                                        order.swapAt(step, active)
                                        continue
                                    }
                                    projected = min(gradient, 0)
                                } else {
                                    projected = gradient
                                }
                                upperNew = max(upperNew, projected)
                                lowerNew = min(lowerNew, projected)
                                if abs(projected) > 1e-12 {
                                    let old = alpha[row]
                                    alpha[row] = max(old - gradient / curvature[row], 0)
                                    let delta = (alpha[row] - old) * sign
                                    for position in start..<end {
                                        w[Int(indices[position])] += delta * Double(values[position])
                                    }
                                    biasWeight += delta * bias
                                }
                                step += 1
                            }
                            if upperNew - lowerNew <= parameters.tolerance {
                                if active == count { break }
                                // Converged on the active rows: check every row once more.
                                active = count
                                upperOld = .infinity
                                continue
                            }
                            upperOld = upperNew > 0 ? upperNew : .infinity
                        }
                    }
                }
            }
        }
        return (weights, Float(biasWeight * bias))
    }
}

/// Lets concurrent workers fill an array in place. Sound only because each worker writes its own
/// elements (those of the class it trains) and nobody reads before all have finished.
private struct DisjointSlots<Element>: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Element>
}

/// A small, fast, seedable generator (Steele et al., SplitMix64): the same seed gives the same
/// training order on every platform, which `SystemRandomNumberGenerator` cannot promise.
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        // `mix` adds the golden-ratio increment itself before mixing.
        defer { state &+= 0x9E37_79B9_7F4A_7C15 }
        return Fingerprint.mix(state)
    }
}
