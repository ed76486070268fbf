/// Suggests a ticket's category from its text when no article matched, learned from resolved
/// tickets (their text and the category an agent settled on).
///
/// Recipe: sublinear TF-IDF over character 2–5-grams of the normalised text and over the
/// `Tokenizer`'s terms plus adjacent word pairs (see `TicketFeatures`), each block L2-normalised,
/// then one linear SVM per category against the rest (see `LinearSVM`). Nothing in it is
/// specific to a language: the same model reads Korean, Japanese, English or a mix, because
/// characters and the tokenizer's script-aware terms are the only features.
///
/// Training is deterministic: the same examples and options give the same model, bit for bit,
/// whatever the number of cores. A trained classifier is immutable and safe to share.
public struct TicketClassifier: Sendable {
    public struct Options: Sendable {
        /// Lengths of the character grams; a space before, after or between words counts as one.
        public var characterGrams: ClosedRange<Int> = 2...5
        /// Also single characters of Hangul, kana and kanji (never Latin letters or digits).
        public var cjkUnigrams = true
        /// Also ordered pairs of adjacent words from the tokenizer.
        public var wordPairs = true
        /// Weight of the term block against the character block (each normalised first).
        public var termWeight = 1.0
        /// Features found in fewer training texts are dropped. Nil: 2 from 1,000 training texts
        /// on, else 1. On a large set a feature seen once says almost nothing about new texts and
        /// dropping them shrinks the model by about 40 % at no cost in accuracy; on a small set
        /// they are much of the evidence there is, and dropping them cost 1–2 points.
        public var minimumDocumentFrequency: Int?
        /// The SVM's C, positive: the price of a training text on the wrong side of the margin.
        /// With unit vectors, 1 was best or within noise of it on English and Korean sets of
        /// 400 to 10,000 tickets (0.5 underfits by about half a point, 4 starts to overfit).
        public var cost = 1.0
        /// Coordinate descent usually converges (see `tolerance`) well before this.
        public var maximumEpochs = 30
        /// Width of the projected gradients at which training stops (liblinear's default).
        public var tolerance = 0.1
        /// Seeds the order in which training texts are visited.
        public var seed: UInt64 = 0x4649_5253_544C_494E
        /// Train the categories on all cores; the model does not depend on it.
        public var parallel = true
        /// Makes the term block; one with the knowledge base's synonyms lets `pw` and `비밀번호`
        /// meet.
        public var tokenizer = Tokenizer()

        public init() {}
    }

    public enum TrainingError: Error, Equatable, CustomStringConvertible {
        case noExamples

        public var description: String {
            switch self {
            case .noExamples: "no training examples"
            }
        }
    }

    /// The categories, sorted; scores and weights use this order.
    public let labels: [String]
    public let options: Options
    private let features: TicketFeatures
    private let vocabulary: TicketVocabulary
    /// Feature-major (`feature * labels.count + label`), so scoring a text reads one short,
    /// contiguous row per feature it contains.
    private let weights: [Float]
    private let biases: [Float]

    /// Number of features the model knows.
    public var featureCount: Int { vocabulary.count }

    public static func train(examples: [(text: String, label: String)], options: Options = Options()) throws -> TicketClassifier {
        precondition(options.cost > 0, "the SVM's cost must be positive")
        guard !examples.isEmpty else { throw TrainingError.noExamples }
        let labels = Array(Set(examples.map(\.label))).sorted()
        var labelIndex: [String: Int] = [:]
        for (index, label) in labels.enumerated() { labelIndex[label] = index }

        let features = TicketFeatures(characterGrams: options.characterGrams, cjkUnigrams: options.cjkUnigrams,
                                      wordPairs: options.wordPairs, tokenizer: options.tokenizer)
        let (vocabulary, rows) = TicketVocabulary.build(
            examples.map(\.text), features: features,
            minimumDocumentFrequency: options.minimumDocumentFrequency ?? (examples.count >= 1000 ? 2 : 1),
            termWeight: Float(options.termWeight))

        let model = LinearSVM.train(
            rows: rows, labels: examples.map { labelIndex[$0.label] ?? 0 }, classCount: labels.count,
            featureCount: vocabulary.count,
            parameters: LinearSVM.Parameters(cost: options.cost, bias: 1, maximumEpochs: options.maximumEpochs,
                                             tolerance: options.tolerance, seed: options.seed, parallel: options.parallel))
        return TicketClassifier(labels: labels, options: options, features: features, vocabulary: vocabulary,
                                weights: model.weights, biases: model.biases)
    }

    private init(labels: [String], options: Options, features: TicketFeatures, vocabulary: TicketVocabulary,
                 weights: [Float], biases: [Float]) {
        self.labels = labels
        self.options = options
        self.features = features
        self.vocabulary = vocabulary
        self.weights = weights
        self.biases = biases
    }

    /// The decision value of every category for `text`, in the order of `labels`, and how many
    /// of the text's features the model knows (0: the scores are the biases alone).
    public func scores(_ text: String) -> (scores: [Double], knownFeatures: Int) {
        let vector = vocabulary.vector(features.counts(text), termWeight: Float(options.termWeight))
        let classCount = labels.count
        var scores = biases.map(Double.init)
        weights.withUnsafeBufferPointer { weights in
            for (index, value) in zip(vector.indices, vector.values) {
                let row = Int(index) * classCount
                for label in 0..<classCount { scores[label] += Double(weights[row + label] * value) }
            }
        }
        return (scores, vector.indices.count)
    }

    /// The best category for `text` and the `top` best with their scores.
    public func predict(_ text: String, top: Int = 3) -> TicketPrediction {
        let (scores, known) = scores(text)
        // Ties go to the category that sorts first, so the answer never depends on hashing.
        let order = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        let ranked = order.prefix(max(top, 1)).map { TicketPrediction.Candidate(label: labels[$0], score: scores[$0]) }
        let best = order[0]
        let margin = order.count > 1 ? scores[best] - scores[order[1]] : .infinity
        return TicketPrediction(label: labels[best], score: scores[best], margin: margin, ranked: ranked,
                                knownFeatures: known)
    }
}

/// What the classifier suggests for one text.
public struct TicketPrediction: Sendable, Equatable {
    public struct Candidate: Sendable, Equatable {
        public var label: String
        public var score: Double

        public init(label: String, score: Double) {
            self.label = label
            self.score = score
        }
    }

    /// The suggested category.
    public var label: String
    /// Its SVM decision value: above 0 means its own model claims the text; around +1 is a
    /// typical training example of the category.
    public var score: Double
    /// The lead over the runner-up; a small margin means "could be either", which is the cue to
    /// offer choices instead of one suggestion. Infinite when there is only one category.
    public var margin: Double
    /// The best categories, best first (at least the suggested one).
    public var ranked: [Candidate]
    /// How many of the text's features occur in the model; 0 means the text shares nothing with
    /// the training tickets and the scores are the biases alone: a guess, not a suggestion.
    public var knownFeatures: Int

    public init(label: String, score: Double, margin: Double, ranked: [Candidate], knownFeatures: Int) {
        self.label = label
        self.score = score
        self.margin = margin
        self.ranked = ranked
        self.knownFeatures = knownFeatures
    }
}
