/// Accuracy and macro-F1 of a categorisation run (design §6, `firstline eval --tickets`).
///
/// Macro-F1 averages the F1 of every category that occurs either as an expected or as a
/// predicted label (the convention of scikit-learn's `f1_score(average="macro")`), so a
/// category the classifier invents counts as a zero, and rare categories weigh as much as
/// common ones: a classifier that ignores small categories cannot hide behind accuracy.
public struct ClassificationMetrics: Sendable, Equatable {
    public struct LabelScore: Sendable, Equatable {
        public var label: String
        /// How many texts truly had this label.
        public var support: Int
        public var truePositives: Int
        public var falsePositives: Int
        public var falseNegatives: Int

        public var precision: Double {
            truePositives + falsePositives == 0 ? 0 : Double(truePositives) / Double(truePositives + falsePositives)
        }
        public var recall: Double {
            truePositives + falseNegatives == 0 ? 0 : Double(truePositives) / Double(truePositives + falseNegatives)
        }
        /// 2·TP / (2·TP + FP + FN): the harmonic mean of precision and recall, 0 when both are 0.
        public var f1: Double {
            let denominator = 2 * truePositives + falsePositives + falseNegatives
            return denominator == 0 ? 0 : Double(2 * truePositives) / Double(denominator)
        }
    }

    public private(set) var total = 0
    public private(set) var correct = 0
    private var counts: [String: LabelScore] = [:]

    public init() {}

    public mutating func record(expected: String, predicted: String) {
        total += 1
        if expected == predicted {
            correct += 1
            counts[expected, default: LabelScore(label: expected, support: 0, truePositives: 0, falsePositives: 0, falseNegatives: 0)]
                .truePositives += 1
        } else {
            counts[expected, default: LabelScore(label: expected, support: 0, truePositives: 0, falsePositives: 0, falseNegatives: 0)]
                .falseNegatives += 1
            counts[predicted, default: LabelScore(label: predicted, support: 0, truePositives: 0, falsePositives: 0, falseNegatives: 0)]
                .falsePositives += 1
        }
        counts[expected]?.support += 1
    }

    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }

    /// Every label seen, expected or predicted, sorted by label.
    public var byLabel: [LabelScore] { counts.values.sorted { $0.label < $1.label } }

    /// Summed in label order, so the same run always gives the same last digit.
    public var macroF1: Double {
        let scores = byLabel
        return scores.isEmpty ? 0 : scores.reduce(0) { $0 + $1.f1 } / Double(scores.count)
    }
}
