/// The tunable constants of BM25F ranking and of the bot's decision.
///
/// Defaults were tuned on `../shared/eval/parakqc_ko_dev` and the bundled fixture together;
/// see README "Search quality" for the figures.
public struct RankingParameters: Sendable, Equatable {
    /// BM25 term-frequency saturation.
    public var k1: Double = 4.0
    /// Field weights, indexed by `SearchField.rawValue`.
    public var fieldWeights: [Double] = [3.0, 2.0, 1.0, 1.5]
    /// Length normalisation per field, indexed by `SearchField.rawValue`.
    public var fieldB: [Double] = [0.9, 0.75, 0.75, 0.5]
    /// Query-side weight per term kind, indexed by `TermKind.rawValue`.
    public var kindWeights: [Double] = [1.0, 1.0, 0.5, 0.8, 0.3]
    /// Weight kept by a vocabulary word reached through a typo correction.
    public var typoDiscount: Double = 0.7

    public init() {}

    /// A kind without a configured weight counts fully rather than trapping.
    func weight(of kind: TermKind) -> Double {
        Int(kind.rawValue) < kindWeights.count ? kindWeights[Int(kind.rawValue)] : 1
    }

    /// The share of a term's idf that an article earns by having the term once in its title and
    /// once in its keywords at average length: the yardstick of a perfect match, so that
    /// confidence means the same whatever `k1` is.
    var perfectMatchSaturation: Double {
        let frequency = fieldWeights[SearchField.title.rawValue] + fieldWeights[SearchField.keywords.rawValue]
        return frequency * (k1 + 1) / (k1 + frequency)
    }
}
