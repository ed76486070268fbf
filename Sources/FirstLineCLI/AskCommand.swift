import ArgumentParser
import FirstLineContent
import FirstLineCore
import Foundation

/// `firstline ask TEXT [--kb DIR] [--top N] [--json]`: what the bot would answer.
struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Show the ranked articles for a question and the decision the bot would take."
    )

    @Argument(help: "The employee's message.")
    var text: String

    @Option(help: "Knowledge-base folder.")
    var kb: String = "KnowledgeBase"

    @Option(help: "Intents folder; its intents compete with the articles as in the bot (skipped when missing).")
    var intents: String = "Intents"

    @Option(help: "How many articles to list.")
    var top: Int = 5

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func validate() throws {
        guard top > 0 else { throw ValidationError("--top must be at least 1") }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationError("the question is empty")
        }
    }

    func run() async throws {
        let knowledgeBase = try ContentLoading.knowledgeBase(kb)
        let loadedIntents = FileManager.default.fileExists(atPath: intents) ? try ContentLoading.intents(intents) : []
        let content = ContentIndex(articles: knowledgeBase.articles, intents: loadedIntents, synonyms: knowledgeBase.synonymGroups)
        let answer = AskReport(question: text, result: content.search(text, limit: top))
        if json {
            try printJSON(answer)
        } else {
            print(answer.table)
        }
    }
}

/// The result of `ask`, as printed.
struct AskReport: Encodable {
    struct Hit: Encodable {
        var id: String
        var lang: String
        var title: String
        var category: String?
        var score: Double
    }

    var query: String
    var decision: MatchDecision
    var confidence: Double
    var gap: Double
    var hits: [Hit]

    init(question: String, result: SearchResult) {
        query = question
        decision = result.decision()
        confidence = (result.confidence * 1000).rounded() / 1000
        gap = (result.gap * 1000).rounded() / 1000
        hits = result.hits.map {
            Hit(id: $0.id, lang: $0.lang, title: $0.title, category: $0.category, score: ($0.score * 1000).rounded() / 1000)
        }
    }

    var table: String {
        var lines = ["decision: \(decision.rawValue)  (confidence \(format(confidence)), gap \(format(gap)))"]
        if hits.isEmpty { lines.append("no matching article") }
        for (rank, hit) in hits.enumerated() {
            lines.append("\(rank + 1). \(format(hit.score))  \(hit.id) [\(hit.lang)] \(hit.title)")
        }
        return lines.joined(separator: "\n")
    }

    private func format(_ value: Double) -> String { String(format: "%.3f", value) }
}

/// Loading content for commands, with failures turned into exit-code-1 messages.
enum ContentLoading {
    static func knowledgeBase(_ kb: String) throws -> KnowledgeBase {
        do {
            let knowledgeBase = try KnowledgeBaseLoader().load(directory: URL(fileURLWithPath: kb))
            if !knowledgeBase.issues.isEmpty {
                let list = knowledgeBase.issues.map(\.description).joined(separator: "\n")
                throw CommandFailure("\(list)\n\(knowledgeBase.issues.count) problem(s) in \(kb); run 'firstline kb check'")
            }
            return knowledgeBase
        } catch let error as ContentError {
            throw CommandFailure(error.description)
        }
    }

    static func intents(_ directory: String) throws -> [Intent] {
        do {
            let loaded = try IntentLoader().load(directory: URL(fileURLWithPath: directory))
            if !loaded.issues.isEmpty {
                let list = loaded.issues.map(\.description).joined(separator: "\n")
                throw CommandFailure("\(list)\n\(loaded.issues.count) problem(s) in \(directory); run 'firstline kb check'")
            }
            return loaded.intents
        } catch let error as ContentError {
            throw CommandFailure(error.description)
        }
    }


}
