/// Precision@1, hit@3 and MRR@10 over a set of ranked answers (design §6, `firstline eval`).
public struct RetrievalMetrics: Sendable, Equatable {
    public private(set) var queries = 0
    public private(set) var correctAtOne = 0
    public private(set) var hitsAtThree = 0
    public private(set) var reciprocalRankSum = 0.0

    public init() {}

    /// Adds one query's outcome: `ranked` ids best first, `relevant` the ids that answer it.
    public mutating func record(ranked: [String], relevant: Set<String>) {
        queries += 1
        guard let rank = ranked.prefix(10).firstIndex(where: relevant.contains) else { return }
        if rank == 0 { correctAtOne += 1 }
        if rank < 3 { hitsAtThree += 1 }
        reciprocalRankSum += 1 / Double(rank + 1)
    }

    public var precisionAtOne: Double { queries == 0 ? 0 : Double(correctAtOne) / Double(queries) }
    public var hitAtThree: Double { queries == 0 ? 0 : Double(hitsAtThree) / Double(queries) }
    public var meanReciprocalRank: Double { queries == 0 ? 0 : reciprocalRankSum / Double(queries) }
}
