import FirstLineContent
import FirstLineCore
import FirstLineStore
import Foundation

/// The knowledge base and intents the bot answers from, as one immutable snapshot that is
/// replaced whole when content or learned phrasings change (design §3: "immutable snapshots
/// swapped atomically so queries never wait").
public actor ContentLibrary {
    public struct Snapshot: Sendable {
        public var content: ContentIndex
        public var engine: DialogueEngine
        public var loadedAt: Date
    }

    public let knowledgeBase: URL
    public let intents: URL
    private let settings: DialogueSettings
    private let feedback: any FeedbackRepository
    private let clock: any ServerClock
    private var snapshot: Snapshot?
    private var trainedClassifier: (signature: Int, classifier: TicketClassifier)?
    private let tickets: any TicketRepository
    /// "Still broken" verdicts older than this no longer lower an article: the article may have been fixed.
    static let demotionMemory: TimeInterval = 90 * 24 * 3600
    /// Feedback received since the last rebuild; the index is rebuilt after `rebuildEvery` of them.
    private var feedbackSinceRebuild = 0
    static let rebuildEvery = 5

    public init(knowledgeBase: URL, intents: URL, settings: DialogueSettings, feedback: any FeedbackRepository,
                tickets: any TicketRepository, clock: any ServerClock) {
        self.tickets = tickets
        self.knowledgeBase = knowledgeBase
        self.intents = intents
        self.settings = settings
        self.feedback = feedback
        self.clock = clock
    }

    /// The snapshot in use; loads it on first use.
    public func current() async throws -> Snapshot {
        if let snapshot { return snapshot }
        return try await reload()
    }

    public var isLoaded: Bool { snapshot != nil }

    /// Reads the content from disk again and swaps the new snapshot in. On any content error the
    /// old snapshot stays in use and the error (every problem, with file and line) is thrown.
    @discardableResult
    public func reload() async throws -> Snapshot {
        let knowledgeBase = try KnowledgeBaseLoader().load(directory: self.knowledgeBase)
        let loadedIntents = try IntentLoader().load(directory: intents)
        let issues = knowledgeBase.issues + loadedIntents.issues
        guard issues.isEmpty else { throw ContentError.invalid(issues) }
        let now = clock.now()
        let learned = try await learnedText(asOf: now)
        var demoted: [String: [String]] = [:]
        for failure in try await feedback.stillBrokenQueries(since: now.addingTimeInterval(-Self.demotionMemory)) {
            demoted[failure.articleID, default: []].append(failure.query)
        }
        let classifier = try await categoryClassifier(articles: knowledgeBase.articles)
        // The other desks of firstline.yml compete as out-of-scope intents beside the bundled ones.
        let articles = knowledgeBase.articles, intentList = loadedIntents.intents + settings.otherDesks.map(\.intent)
        let synonyms = knowledgeBase.synonymGroups
        let demotedQueries = demoted
        let content = await Self.offPool {
            ContentIndex(articles: articles, intents: intentList, synonyms: synonyms, learned: learned, demoted: demotedQueries,
                         categoryClassifier: classifier)
        }
        let fresh = Snapshot(content: content, engine: DialogueEngine(content: content, settings: settings), loadedAt: now)
        snapshot = fresh
        return fresh
    }

    /// Counts one "Solved" or "Still broken" verdict and rebuilds the index every few of them,
    /// so learning reaches the answers without a restart (design §3: applied on rebuild).
    public func noteFeedback() async {
        feedbackSinceRebuild += 1
        guard feedbackSinceRebuild >= Self.rebuildEvery else { return }
        feedbackSinceRebuild = 0
        do {
            try await reload()
        } catch {
            // The previous snapshot stays in use; the content error is reported by `kb check`.
        }
    }

    /// Runs CPU-heavy work (indexing, training) on a Dispatch thread instead of the concurrency
    /// pool, whose few threads must stay free to answer requests while a new snapshot is built.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async { continuation.resume(returning: work()) }
        }
    }

    /// The category classifier, seeded from the articles' own phrasings and trained further on
    /// every resolved ticket's subject and final category (agents correct categories; the
    /// classifier learns from their corrections). Retrained only when its examples changed.
    private func categoryClassifier(articles: [Article]) async throws -> TicketClassifier? {
        var examples = ContentIndex.categoryExamples(articles: articles)
        examples += try await tickets.resolvedTicketCategories(limit: 5000).map { (text: $0.subject, label: $0.category) }
        let signature = examples.count.hashValue ^ (examples.last?.text.hashValue ?? 0)
        if let trained = trainedClassifier, trained.signature == signature { return trained.classifier }
        let frozen = examples
        let classifier = await Self.offPool { try? TicketClassifier.train(examples: frozen) }
        trainedClassifier = classifier.map { (signature, $0) }
        return classifier
    }

    /// Phrasings employees confirmed with "Solved", per article, that have not decayed away.
    private func learnedText(asOf now: Date) async throws -> [String: String] {
        var byArticle: [String: [String]] = [:]
        for phrase in try await feedback.allLearnedPhrases(asOf: now) where phrase.weight >= 0.25 {
            byArticle[phrase.articleID, default: []].append(phrase.text)
        }
        return byArticle.mapValues { $0.joined(separator: "\n") }
    }
}
