import ArgumentParser
import FirstLineContent
import FirstLineCore
import Foundation

/// `firstline eval (--articles FILE | --kb DIR) --queries FILE [--json]`: retrieval quality and speed.
/// `firstline eval --tickets FILE [--json]`: ticket categorisation quality.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure retrieval quality (P@1, hit@3, MRR@10) and query latency on a labelled query set, "
            + "or ticket categorisation (accuracy, macro-F1) on labelled tickets."
    )

    @Option(help: "Articles as JSON Lines: {\"id\",\"title\",\"body\",\"lang\"}.")
    var articles: String?

    @Option(help: "A knowledge-base folder to evaluate instead of --articles.")
    var kb: String?

    @Option(help: "With --kb: an intents folder whose intents compete with the articles (relevant ids 'intent:<id>').")
    var intents: String?

    @Option(help: "Queries as JSON Lines: {\"id\",\"text\",\"relevant\":[ids],\"lang\"}.")
    var queries: String?

    @Option(help: "Tickets as JSON Lines: {\"id\",\"text\",\"category\",\"split\"}; trains on split \"train\", scores split \"test\".")
    var tickets: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Flag(help: "Also list every query whose first hit is wrong, or every test ticket put in the wrong category (to stderr).")
    var misses = false

    func validate() throws {
        guard [articles, kb, tickets].compactMap({ $0 }).count == 1 else {
            throw ValidationError("give exactly one of --articles FILE, --kb DIR or --tickets FILE")
        }
        if tickets != nil {
            guard queries == nil else { throw ValidationError("--queries is not used with --tickets") }
        } else {
            guard queries != nil else { throw ValidationError("--queries FILE is required") }
        }
        guard intents == nil || kb != nil else { throw ValidationError("--intents needs --kb") }
    }

    func run() async throws {
        if let tickets { return try runTickets(tickets) }
        let reader = JSONLinesReader()
        let documents: [SearchDocument]
        var tokenizer = Tokenizer()
        var intentList: [Intent] = []
        do {
            if let articles {
                documents = try reader.read(EvalArticle.self, from: URL(fileURLWithPath: articles)).map(\.searchDocument)
            } else {
                let knowledgeBase = try ContentLoading.knowledgeBase(kb ?? "KnowledgeBase")
                let loadedIntents = try intents.map { try ContentLoading.intents($0) } ?? []
                intentList = loadedIntents
                documents = ContentIndex.documents(articles: knowledgeBase.articles, intents: loadedIntents)
                tokenizer = Tokenizer(synonyms: SynonymTable(groups: knowledgeBase.synonymGroups))
            }
        } catch let error as ContentError {
            throw CommandFailure(error.description)
        }
        let labelled: [EvalQuery]
        do {
            labelled = try reader.read(EvalQuery.self, from: URL(fileURLWithPath: queries ?? ""))
        } catch let error as ContentError {
            throw CommandFailure(error.description)
        }
        let evaluation = RetrievalEvaluation(documents: documents, tokenizer: tokenizer, intents: intentList)
        let report = evaluation.run(labelled) { query, ranked in
            guard misses, ranked.first.map({ !query.relevant.contains($0) }) ?? true else { return }
            let line = "miss \(query.id): \(query.text) | expected \(query.relevant.joined(separator: ",")) | got \(ranked.prefix(3).joined(separator: ", "))\n"
            FileHandle.standardError.write(Data(line.utf8))
        } observeOutOfScope: { query, reading in
            guard misses, reading.offersArticle else { return }
            FileHandle.standardError.write(Data("offered \(query.id): \(query.text) | got \(reading)\n".utf8))
        }
        if json { try printJSON(report) } else { print(report.table) }
    }

    /// Trains on the file's "train" rows and scores its "test" rows.
    private func runTickets(_ path: String) throws {
        let (training, test) = try Self.tickets(path)
        let report = try TicketEvaluation(training: training).run(test) { ticket, prediction in
            guard misses, prediction.label != ticket.category else { return }
            let line = "miss \(ticket.id): \(ticket.text) | expected \(ticket.category) | got "
                + prediction.ranked.map { String(format: "%@ %.2f", $0.label as NSString, $0.score) }.joined(separator: ", ") + "\n"
            FileHandle.standardError.write(Data(line.utf8))
        }
        if json { try printJSON(report) } else { print(report.table) }
    }
}

extension EvalCommand {
    /// The "train" and "test" rows of a tickets file; rows of other splits are ignored. A bad
    /// row, or an empty split, is a failure of the task.
    static func tickets(_ path: String) throws -> (training: [EvalTicket], test: [EvalTicket]) {
        let rows: [EvalTicket]
        do {
            rows = try JSONLinesReader().read(EvalTicket.self, from: URL(fileURLWithPath: path))
        } catch let error as ContentError {
            throw CommandFailure(error.description)
        }
        let training = rows.filter { $0.split == "train" }
        let test = rows.filter { $0.split == "test" }
        guard !training.isEmpty else { throw CommandFailure("\(path): no rows with \"split\":\"train\" to train on") }
        guard !test.isEmpty else { throw CommandFailure("\(path): no rows with \"split\":\"test\" to score") }
        return (training, test)
    }
}

/// Trains a ticket classifier on labelled tickets, timed, then categorises each test ticket once.
struct TicketEvaluation {
    var training: [EvalTicket]
    var options = TicketClassifier.Options()

    struct CategoryScore: Encodable {
        var support: Int
        var precision: Double
        var recall: Double
        var f1: Double
    }

    struct Report: Encodable {
        var train: Int
        var test: Int
        var categories: Int
        var features: Int
        var accuracy: Double
        var macro_f1: Double
        var train_ms: Double
        var predict_us: RetrievalEvaluation.Latency
        var by_category: [String: CategoryScore]

        var table: String {
            var lines = [
                "train \(train), test \(test), categories \(categories), features \(features)",
                String(format: "accuracy %.4f  macro-F1 %.4f", accuracy, macro_f1),
                String(format: "train %.0f ms; predict p50 %.1f µs, p99 %.1f µs", train_ms, predict_us.p50, predict_us.p99),
            ]
            // The weakest categories are where more or better-labelled tickets would help most.
            let weakest = by_category.filter { $0.value.support > 0 && $0.value.f1 < 1 }
                .sorted { $0.value.f1 != $1.value.f1 ? $0.value.f1 < $1.value.f1 : $0.key < $1.key }.prefix(5)
            if !weakest.isEmpty {
                lines.append("weakest categories:")
                for (category, score) in weakest {
                    lines.append(String(format: "  %-32@ F1 %.3f  precision %.3f  recall %.3f  (%d tickets)",
                                        category as NSString, score.f1, score.precision, score.recall, score.support))
                }
            }
            return lines.joined(separator: "\n")
        }
    }

    func run(_ test: [EvalTicket], observe: (EvalTicket, TicketPrediction) -> Void = { _, _ in }) throws -> Report {
        let clock = ContinuousClock()
        var classifier: TicketClassifier?
        let trainTime = try clock.measure {
            classifier = try TicketClassifier.train(examples: training.map { ($0.text, $0.category) }, options: options)
        }
        guard let classifier else { fatalError("classifier was just trained") }

        var metrics = ClassificationMetrics()
        var latencies: [Double] = []
        latencies.reserveCapacity(test.count)
        for ticket in test {
            var prediction: TicketPrediction?
            let elapsed = clock.measure { prediction = classifier.predict(ticket.text) }
            latencies.append(RetrievalEvaluation.microseconds(elapsed))
            guard let prediction else { continue }
            observe(ticket, prediction)
            metrics.record(expected: ticket.category, predicted: prediction.label)
        }
        latencies.sort()
        let round = RetrievalEvaluation.Scores.round
        var byCategory: [String: CategoryScore] = [:]
        for score in metrics.byLabel {
            byCategory[score.label] = CategoryScore(support: score.support, precision: round(score.precision),
                                                    recall: round(score.recall), f1: round(score.f1))
        }
        return Report(
            train: training.count,
            test: metrics.total,
            categories: classifier.labels.count,
            features: classifier.featureCount,
            accuracy: round(metrics.accuracy),
            macro_f1: round(metrics.macroF1),
            train_ms: (RetrievalEvaluation.microseconds(trainTime) / 100).rounded() / 10,
            predict_us: RetrievalEvaluation.Latency(p50: RetrievalEvaluation.percentile(latencies, 0.50),
                                                    p99: RetrievalEvaluation.percentile(latencies, 0.99)),
            by_category: byCategory
        )
    }
}

/// Builds an index, runs every labelled query once, and times both. Never learns from queries.
struct RetrievalEvaluation {
    var documents: [SearchDocument]
    var tokenizer: Tokenizer
    /// The intents among `documents` (with `--intents`), which out-of-scope messages may match.
    var intents: [Intent] = []

    /// Queries whose `relevant` is empty: messages IT does not handle. Rejected means the bot's
    /// reading of the message offers no article, not even as a choice.
    struct OutOfScope: Encodable {
        var queries = 0
        var rejected = 0
        var rate: Double { queries == 0 ? 0 : Scores.round(Double(rejected) / Double(queries)) }

        enum CodingKeys: String, CodingKey { case queries, rejected, rate }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(queries, forKey: .queries)
            try container.encode(rejected, forKey: .rejected)
            try container.encode(rate, forKey: .rate)
        }

        mutating func record(rejected wasRejected: Bool) {
            queries += 1
            if wasRejected { rejected += 1 }
        }
    }

    struct Scores: Encodable {
        var queries: Int
        var p_at_1: Double
        var hit_at_3: Double
        var mrr_at_10: Double

        init(_ metrics: RetrievalMetrics) {
            queries = metrics.queries
            p_at_1 = Self.round(metrics.precisionAtOne)
            hit_at_3 = Self.round(metrics.hitAtThree)
            mrr_at_10 = Self.round(metrics.meanReciprocalRank)
        }

        static func round(_ value: Double) -> Double { (value * 10000).rounded() / 10000 }
    }

    struct Latency: Encodable {
        var p50: Double
        var p99: Double
    }

    /// How often the bot would answer, offer choices or ask to rephrase, and how often that was right.
    struct Decisions: Encodable {
        var answer = 0
        var answer_correct = 0
        var choices = 0
        var choices_containing_answer = 0
        var rephrase = 0
    }

    struct Report: Encodable {
        var articles: Int
        var queries: Int
        var p_at_1: Double
        var hit_at_3: Double
        var mrr_at_10: Double
        var by_lang: [String: Scores]
        var index_ms: Double
        var query_us: Latency
        var decisions: Decisions
        var out_of_scope: OutOfScope
        var out_of_scope_by_lang: [String: OutOfScope]

        var table: String {
            var lines = [
                "articles \(articles), queries \(queries)",
                String(format: "all   P@1 %.3f  hit@3 %.3f  MRR@10 %.3f", p_at_1, hit_at_3, mrr_at_10),
            ]
            for (lang, scores) in by_lang.sorted(by: { $0.key < $1.key }) {
                lines.append(String(format: "%-5@ P@1 %.3f  hit@3 %.3f  MRR@10 %.3f  (%d queries)",
                                    lang as NSString, scores.p_at_1, scores.hit_at_3, scores.mrr_at_10, scores.queries))
            }
            lines.append(String(format: "index %.1f ms; query p50 %.1f µs, p99 %.1f µs", index_ms, query_us.p50, query_us.p99))
            lines.append("decisions: answer \(decisions.answer) (\(decisions.answer_correct) right), choices \(decisions.choices) "
                + "(\(decisions.choices_containing_answer) containing the answer), rephrase \(decisions.rephrase)")
            if out_of_scope.queries > 0 {
                lines.append(String(format: "out of scope: %d of %d rejected (rate %.3f)", out_of_scope.rejected,
                                    out_of_scope.queries, out_of_scope.rate))
                for (lang, scope) in out_of_scope_by_lang.sorted(by: { $0.key < $1.key }) {
                    lines.append(String(format: "  %-5@ %d of %d rejected (rate %.3f)", lang as NSString, scope.rejected,
                                        scope.queries, scope.rate))
                }
            }
            return lines.joined(separator: "\n")
        }
    }

    func run(_ queries: [EvalQuery], observe: (EvalQuery, [String]) -> Void = { _, _ in },
             observeOutOfScope: (EvalQuery, FirstReading) -> Void = { _, _ in }) -> Report {
        let clock = ContinuousClock()
        var index: SearchIndex?
        let buildTime = clock.measure { index = SearchIndex(documents: documents, tokenizer: tokenizer) }
        guard let index else { fatalError("index was just built") }

        var overall = RetrievalMetrics()
        var byLanguage: [String: RetrievalMetrics] = [:]
        var latencies: [Double] = []
        var decisions = Decisions()
        let thresholds = DecisionThresholds()
        for query in queries where !query.relevant.isEmpty {
            var result: SearchResult?
            let elapsed = clock.measure { result = index.search(query.text, limit: 10) }
            latencies.append(Self.microseconds(elapsed))
            let ranked = result?.hits.map(\.id) ?? []
            observe(query, ranked)
            let relevant = Set(query.relevant)
            switch result?.decision(thresholds) ?? .rephrase {
            case .answer:
                decisions.answer += 1
                if let first = ranked.first, relevant.contains(first) { decisions.answer_correct += 1 }
            case .choices:
                decisions.choices += 1
                if ranked.prefix(thresholds.maximumChoices).contains(where: relevant.contains) { decisions.choices_containing_answer += 1 }
            case .rephrase:
                decisions.rephrase += 1
            }
            overall.record(ranked: ranked, relevant: relevant)
            byLanguage[query.lang ?? "unknown", default: RetrievalMetrics()].record(ranked: ranked, relevant: relevant)
        }
        // The dialogue's own reading, over the same documents: intents (greetings, the bundled
        // out-of-scope topics) compete with the articles exactly as in a conversation.
        var outOfScope = OutOfScope()
        var outOfScopeByLanguage: [String: OutOfScope] = [:]
        let unanswerable = queries.filter(\.relevant.isEmpty)
        if !unanswerable.isEmpty {
            let engine = DialogueEngine(content: ContentIndex(documents: documents, intents: intents, tokenizer: tokenizer))
            for query in unanswerable {
                let reading = engine.firstReading(of: query.text)
                observeOutOfScope(query, reading)
                outOfScope.record(rejected: !reading.offersArticle)
                outOfScopeByLanguage[query.lang ?? "unknown", default: OutOfScope()].record(rejected: !reading.offersArticle)
            }
        }
        latencies.sort()
        return Report(
            articles: documents.count,
            queries: overall.queries,
            p_at_1: Scores.round(overall.precisionAtOne),
            hit_at_3: Scores.round(overall.hitAtThree),
            mrr_at_10: Scores.round(overall.meanReciprocalRank),
            by_lang: byLanguage.mapValues(Scores.init),
            index_ms: (Self.microseconds(buildTime) / 100).rounded() / 10,
            query_us: Latency(p50: Self.percentile(latencies, 0.50), p99: Self.percentile(latencies, 0.99)),
            decisions: decisions,
            out_of_scope: outOfScope,
            out_of_scope_by_lang: outOfScopeByLanguage
        )
    }

    static func microseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1_000_000 + Double(attoseconds) / 1_000_000_000_000
    }

    static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let position = min(Int((Double(sorted.count - 1) * fraction).rounded()), sorted.count - 1)
        return (sorted[position] * 10).rounded() / 10
    }
}
