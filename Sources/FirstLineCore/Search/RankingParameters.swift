/// The tunable constants of BM25F ranking and of the bot's decision.
///
/// Defaults were tuned on `../shared/eval/parakqc_ko_dev` (short, title-only articles),
/// `../shared/eval/localgovfaq_ja_dev` (long answers under question titles) and the bundled
/// fixture together; see README "Quality" for the figures. What differs between such
/// collections is not set per collection: the index derives it from the collection's own
/// statistics (`fieldWeights(titleShare:)`).
public struct RankingParameters: Sendable, Equatable {
    /// BM25 term-frequency saturation.
    public var k1: Double = 4.0
    /// Field weights, indexed by `SearchField.rawValue`. The title's entry is its weight in a
    /// collection whose text is all in titles; see `titleWeightFloor`.
    public var fieldWeights: [Double] = [3.0, 2.0, 1.0, 1.5]
    /// The title's weight in a collection whose text is all in the other fields. Where titles
    /// are all there is (ParaKQC), a title match is the whole evidence and its weight only
    /// sets the saturation; where a long answer carries the match (LocalgovFAQ: residents'
    /// questions share few words with the FAQ's title), three times a body word let a title
    /// sharing one common word ("手続き") outrank the answer that explains it. Between the two,
    /// the weight follows the share of the collection's indexed terms that are in titles.
    public var titleWeightFloor: Double = 1.5
    /// Length normalisation per field, indexed by `SearchField.rawValue`. Bodies are normalised
    /// lightly: a long answer is long because it covers its topic, not because it rambles.
    public var fieldB: [Double] = [0.9, 0.75, 0.4, 0.5]
    /// Query-side weight per term kind, indexed by `TermKind.rawValue`.
    public var kindWeights: [Double] = [1.0, 1.0, 0.5, 0.8, 0.3, 0.35]
    /// Query-side weight of a Japanese bigram (kanji, hiragana or katakana), instead of the
    /// bigram kind's. A Japanese word term is a whole kanji compound or katakana word, which
    /// its bigrams only repeat; a Korean stem is a guess of the suffix stripper, which its
    /// bigrams correct, so Hangul bigrams keep the full weight.
    public var japaneseBigramWeight: Double = 0.5
    /// Weight kept by a vocabulary word reached through a typo correction.
    public var typoDiscount: Double = 0.7

    public init() {}

    /// A kind without a configured weight counts fully rather than trapping.
    func weight(of kind: TermKind) -> Double {
        Int(kind.rawValue) < kindWeights.count ? kindWeights[Int(kind.rawValue)] : 1
    }

    /// The query-side weight of one term: its kind's, or `japaneseBigramWeight` for a bigram
    /// of kana or kanji (UTF-8 lead bytes 0xE3–0xE9 cover U+3000–U+9FFF; Hangul starts at 0xEA).
    func weight(of kind: TermKind, bytes: UnsafeBufferPointer<UInt8>) -> Double {
        if kind == .bigram, let lead = bytes.first, (0xE3...0xE9).contains(lead) { return japaneseBigramWeight }
        return weight(of: kind)
    }

    /// The field weights for a collection whose titles hold `titleShare` (0...1) of its indexed
    /// terms: the title's weight runs from `titleWeightFloor` (no text in titles) to
    /// `fieldWeights[title]` (all text in titles); the other fields keep theirs.
    public func fieldWeights(titleShare: Double) -> [Double] {
        var weights = fieldWeights
        let title = SearchField.title.rawValue
        guard title < weights.count else { return weights }
        let share = min(max(titleShare.isFinite ? titleShare : 1, 0), 1)
        weights[title] = titleWeightFloor + (fieldWeights[title] - titleWeightFloor) * share
        return weights
    }

    /// The share of a term's idf that an article earns by having the term once in its title and
    /// once in its keywords at average length, with the weights the index uses: the yardstick of
    /// a perfect match, so that confidence means the same whatever `k1` is.
    static func perfectMatchSaturation(k1: Double, weights: [Double]) -> Double {
        let frequency = weights[SearchField.title.rawValue] + weights[SearchField.keywords.rawValue]
        return frequency * (k1 + 1) / (k1 + frequency)
    }
}
