import FirstLineCore
import Testing

@Suite("RetrievalMetrics")
struct RetrievalMetricsTests {
    @Test("no queries scores zero everywhere")
    func empty() {
        let metrics = RetrievalMetrics()
        #expect(metrics.queries == 0)
        #expect(metrics.precisionAtOne == 0)
        #expect(metrics.hitAtThree == 0)
        #expect(metrics.meanReciprocalRank == 0)
    }

    @Test("P@1, hit@3 and MRR@10 match a hand computation")
    func handComputed() {
        var metrics = RetrievalMetrics()
        metrics.record(ranked: ["a", "b", "c"], relevant: ["a"])                     // rank 1
        metrics.record(ranked: ["x", "y", "a"], relevant: ["a"])                     // rank 3
        metrics.record(ranked: ["1", "2", "3", "4", "5", "a"], relevant: ["a"])      // rank 6
        metrics.record(ranked: ["x", "y"], relevant: ["a"])                          // not found
        metrics.record(ranked: [], relevant: ["a"])                                  // nothing ranked
        #expect(metrics.queries == 5)
        #expect(metrics.correctAtOne == 1)
        #expect(metrics.hitsAtThree == 2)
        #expect(abs(metrics.precisionAtOne - 1.0 / 5) < 1e-12)
        #expect(abs(metrics.hitAtThree - 2.0 / 5) < 1e-12)
        #expect(abs(metrics.meanReciprocalRank - (1 + 1.0 / 3 + 1.0 / 6) / 5) < 1e-12)
    }

    @Test("only the first relevant id counts, and only within the top 10")
    func firstRelevantWithinTen() {
        var metrics = RetrievalMetrics()
        metrics.record(ranked: ["x", "b", "a"], relevant: ["a", "b"])                // rank 2 via "b"
        #expect(abs(metrics.meanReciprocalRank - 0.5) < 1e-12)
        #expect(metrics.hitsAtThree == 1)
        #expect(metrics.correctAtOne == 0)

        var deep = RetrievalMetrics()
        deep.record(ranked: (1...10).map(String.init) + ["a"], relevant: ["a"])      // rank 11
        #expect(deep.meanReciprocalRank == 0)
        deep.record(ranked: (1...9).map(String.init) + ["a"], relevant: ["a"])       // rank 10
        #expect(abs(deep.meanReciprocalRank - 0.1 / 2) < 1e-12)
    }
}
