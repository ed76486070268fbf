import FirstLineCore
import Testing

@Suite("ClassificationMetrics")
struct ClassifierMetricsTests {
    @Test("nothing recorded scores zero")
    func empty() {
        let metrics = ClassificationMetrics()
        #expect(metrics.total == 0)
        #expect(metrics.accuracy == 0)
        #expect(metrics.macroF1 == 0)
        #expect(metrics.byLabel.isEmpty)
    }

    /// expected → predicted:  a→a a→a a→b  b→b b→a  c→c c→b c→d
    ///
    ///         TP FP FN   precision recall  F1 = 2TP/(2TP+FP+FN)
    ///   a      2  1  1      2/3     2/3    4/6 = 2/3
    ///   b      1  2  1      1/3     1/2    2/5
    ///   c      1  0  2      1       1/3    2/4 = 1/2
    ///   d      0  1  0      0       0      0     (never expected, still counted)
    ///
    /// accuracy 4/8; macro-F1 (2/3 + 2/5 + 1/2 + 0) / 4 = 47/120.
    @Test("accuracy, per-category scores and macro-F1 match a hand computation")
    func handComputed() {
        var metrics = ClassificationMetrics()
        for (expected, predicted) in [("a", "a"), ("a", "a"), ("a", "b"), ("b", "b"), ("b", "a"),
                                      ("c", "c"), ("c", "b"), ("c", "d")] {
            metrics.record(expected: expected, predicted: predicted)
        }
        #expect(metrics.total == 8)
        #expect(metrics.correct == 4)
        #expect(metrics.accuracy == 0.5)
        let scores = metrics.byLabel
        #expect(scores.map(\.label) == ["a", "b", "c", "d"])
        #expect(scores.map(\.support) == [3, 2, 3, 0])
        #expect(scores.map(\.truePositives) == [2, 1, 1, 0])
        #expect(scores.map(\.falsePositives) == [1, 2, 0, 1])
        #expect(scores.map(\.falseNegatives) == [1, 1, 2, 0])
        let expected: [(precision: Double, recall: Double, f1: Double)] = [(2.0 / 3, 2.0 / 3, 2.0 / 3), (1.0 / 3, 0.5, 0.4),
                                                                            (1, 1.0 / 3, 0.5), (0, 0, 0)]
        for (score, hand) in zip(scores, expected) {
            #expect(abs(score.precision - hand.precision) < 1e-12, "\(score.label)")
            #expect(abs(score.recall - hand.recall) < 1e-12, "\(score.label)")
            #expect(abs(score.f1 - hand.f1) < 1e-12, "\(score.label)")
        }
        #expect(abs(metrics.macroF1 - 47.0 / 120) < 1e-12)
    }

    @Test("a perfect run scores one everywhere")
    func perfect() {
        var metrics = ClassificationMetrics()
        for label in ["x", "y", "y", "z"] { metrics.record(expected: label, predicted: label) }
        #expect(metrics.accuracy == 1)
        #expect(metrics.macroF1 == 1)
    }
}
