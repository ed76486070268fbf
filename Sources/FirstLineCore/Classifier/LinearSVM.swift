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

    /// Weights by class, each `featureCount` long, and one bias weight per class.
    struct Model: Sendable {
        var weights: [[Float]]
        var biases: [Float]
    }

    /// `labels[i]` is the class (0 ..< classCount) of `rows` row `i`.
    static func train(rows: SparseRows, labels: [Int], classCount: Int, featureCount: Int,
                      parameters: Parameters) -> Model {
        let squaredNorms = (0..<rows.count).map(rows.squaredNorm)
        var results = [(weights: [Float], bias: Float)](repeating: ([], 0), count: classCount)
        // Classes are independent problems with their own seeded order, so running them side by
        // side gives bit-for-bit the result of running them one after another.
        results.withUnsafeMutableBufferPointer { slots in
            let output = DisjointSlots(buffer: slots)
            let work: @Sendable (Int) -> Void = { label in
                output.buffer[label] = trainBinary(rows: rows, squaredNorms: squaredNorms, labels: labels, positive: label,
                                            featureCount: featureCount, parameters: parameters)
            }
            if parameters.parallel, classCount > 1 {
                DispatchQueue.concurrentPerform(iterations: classCount, execute: work)
            } else {
                for label in 0..<classCount { work(label) }
            }
        }
        return Model(weights: results.map(\.weights), biases: results.map(\.bias))
    }

    static func trainBinary(rows: SparseRows, squaredNorms: [Double], labels: [Int], positive: Int,
                            featureCount: Int, parameters: Parameters) -> (weights: [Float], bias: Float) {
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
                                        // Comfortably outside the margin last time and still: set
                                        // aside until the final check.
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
        return (weights.map { Float($0) }, Float(biasWeight * bias))
    }
}

/// Lets concurrent workers fill an array in place. Sound only because each worker writes its own
/// element (the class it trains) and nobody reads before all have finished.
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

/// Crammer–Singer multi-class SVM, dual coordinate descent over one row's class variables at
/// a time (Keerthi et al. 2008; liblinear's `MCSVM_CS`).
enum CrammerSinger {
    static func train(rows: SparseRows, labels: [Int], classCount k: Int, featureCount: Int,
                      parameters: LinearSVM.Parameters) -> LinearSVM.Model {
        let count = rows.count
        let cost = parameters.cost
        let bias = parameters.bias
        let eps = parameters.tolerance
        var w = [Double](repeating: 0, count: featureCount * k)
        var wb = [Double](repeating: 0, count: k)
        var alpha = [Double](repeating: 0, count: count * k)
        var alphaIndex = [Int](repeating: 0, count: count * k)
        for i in 0..<count { for m in 0..<k { alphaIndex[i * k + m] = m } }
        var activeClasses = [Int](repeating: k, count: count)
        var yIndex = labels
        var order = Array(0..<count)
        let curvature = (0..<count).map { rows.squaredNorm($0) + bias * bias }
        var active = count
        var epsShrink = max(10 * eps, 1)
        var startFromAll = true
        var random = SplitMix64(seed: parameters.seed)
        var g = [Double](repeating: 0, count: k)
        var b = [Double](repeating: 0, count: k)
        var d = [Double](repeating: 0, count: k)
        var alphaNew = [Double](repeating: 0, count: k)
        var changedIndex = [Int](repeating: 0, count: k)
        var changedValue = [Double](repeating: 0, count: k)

        var epoch = 0
        while epoch < parameters.maximumEpochs {
            var stopping = -Double.infinity
            for position in stride(from: active - 1, to: 0, by: -1) {
                order.swapAt(position, Int(random.next() % UInt64(position + 1)))
            }
            var s = 0
            while s < active {
                let i = order[s]
                let a = curvature[i]
                let base = i * k
                let y = labels[i]
                var activeI = activeClasses[i]
                for m in 0..<activeI { g[m] = 1 }
                if yIndex[i] < activeI { g[yIndex[i]] = 0 }
                for position in rows.starts[i]..<rows.starts[i + 1] {
                    let row = Int(rows.indices[position]) * k
                    let value = Double(rows.values[position])
                    for m in 0..<activeI { g[m] += w[row + alphaIndex[base + m]] * value }
                }
                for m in 0..<activeI { g[m] += wb[alphaIndex[base + m]] * bias }
                var minG = Double.infinity, maxG = -Double.infinity
                for m in 0..<activeI {
                    if alpha[base + alphaIndex[base + m]] < 0, g[m] < minG { minG = g[m] }
                    if g[m] > maxG { maxG = g[m] }
                }
                if yIndex[i] < activeI, alpha[base + y] < cost, g[yIndex[i]] < minG { minG = g[yIndex[i]] }

                func shrinkable(_ m: Int) -> Bool {
                    let bound = m == yIndex[i] ? cost : 0
                    return alpha[base + alphaIndex[base + m]] == bound && g[m] < minG
                }
                var m = 0
                while m < activeI {
                    if shrinkable(m) {
                        activeI -= 1
                        while activeI > m {
                            if !shrinkable(activeI) {
                                alphaIndex.swapAt(base + m, base + activeI)
                                g.swapAt(m, activeI)
                                if yIndex[i] == activeI { yIndex[i] = m } else if yIndex[i] == m { yIndex[i] = activeI }
                                break
                            }
                            activeI -= 1
                        }
                    }
                    m += 1
                }
                activeClasses[i] = activeI
                if activeI <= 1 {
                    active -= 1
                    order.swapAt(s, active)
                    continue
                }
                if maxG - minG <= 1e-12 { s += 1; continue }
                stopping = max(maxG - minG, stopping)
                for m in 0..<activeI { b[m] = g[m] - a * alpha[base + alphaIndex[base + m]] }

                // The sub-problem over this row's classes has a closed form after one sort.
                let yi = yIndex[i]
                for m in 0..<activeI { d[m] = b[m] }
                if yi < activeI { d[yi] += a * cost }
                d[0..<activeI].sort(by: >)
                var beta = d[0] - a * cost
                var r = 1
                while r < activeI, beta < Double(r) * d[r] { beta += d[r]; r += 1 }
                beta /= Double(r)
                for m in 0..<activeI {
                    alphaNew[m] = m == yi ? min(cost, (beta - b[m]) / a) : min(0, (beta - b[m]) / a)
                }
                var changed = 0
                for m in 0..<activeI {
                    let delta = alphaNew[m] - alpha[base + alphaIndex[base + m]]
                    alpha[base + alphaIndex[base + m]] = alphaNew[m]
                    if abs(delta) >= 1e-12 {
                        changedIndex[changed] = alphaIndex[base + m]
                        changedValue[changed] = delta
                        changed += 1
                    }
                }
                for position in rows.starts[i]..<rows.starts[i + 1] {
                    let row = Int(rows.indices[position]) * k
                    let value = Double(rows.values[position])
                    for c in 0..<changed { w[row + changedIndex[c]] += changedValue[c] * value }
                }
                for c in 0..<changed { wb[changedIndex[c]] += changedValue[c] * bias }
                s += 1
            }
            epoch += 1
            if stopping < epsShrink {
                if stopping < eps, startFromAll { break }
                active = count
                for i in 0..<count { activeClasses[i] = k }
                epsShrink = max(epsShrink / 2, eps)
                startFromAll = true
            } else {
                startFromAll = false
            }
        }
        var weights = [[Float]](repeating: [Float](repeating: 0, count: featureCount), count: k)
        for feature in 0..<featureCount { for m in 0..<k { weights[m][feature] = Float(w[feature * k + m]) } }
        return LinearSVM.Model(weights: weights, biases: wb.map { Float($0 * bias) })
    }
}
