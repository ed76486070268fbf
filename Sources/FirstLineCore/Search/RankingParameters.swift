/// The tunable constants of BM25F ranking and of the bot's decision.
///
/// Defaults were tuned on `../shared/eval/parakqc_ko_dev` and the bundled fixture together;
/// see README "Search quality" for the figures.
public struct RankingParameters: Sendable, Equatable {
    /// BM25 term-frequency saturation.
    public var k1: Double = 1.2
    /// Field weights, indexed by `SearchField.rawValue`.
    public var fieldWeights: [Double] = [3.0, 2.0, 1.0, 1.5]
    /// Length normalisation per field, indexed by `SearchField.rawValue`.
    public var fieldB: [Double] = [0.75, 0.75, 0.75, 0.5]
    /// Query-side weight per term kind, indexed by `TermKind.rawValue`.
    public var kindWeights: [Double] = [1.0, 1.0, 0.3, 0.8]
    /// Weight kept by a vocabulary word reached through a typo correction.
    public var typoDiscount: Double = 0.7

    public init() {}

    func weight(of kind: TermKind) -> Double { kindWeights[Int(kind.rawValue)] }
}
