import ArgumentParser
import FirstLineContent
import FirstLineCore
import Foundation

/// `firstline kb …`: knowledge-base maintenance.
struct KBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kb",
        abstract: "Knowledge-base maintenance.",
        subcommands: [KBCheckCommand.self]
    )
}

/// `firstline kb check [--kb DIR] [--intents DIR]`: every problem with file and line; exit 1 on any.
struct KBCheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate every article, the synonyms and every intent."
    )

    @Option(help: "Knowledge-base folder.")
    var kb: String = "KnowledgeBase"

    @Option(help: "Intents folder (checked when it exists).")
    var intents: String = "Intents"

    func run() async throws {
        let report = try ContentCheck().run(kb: URL(fileURLWithPath: kb), intents: URL(fileURLWithPath: intents))
        for issue in report.issues { print(issue.description) }
        print(report.summary)
        if !report.issues.isEmpty { throw ExitCode(1) }
    }
}

/// The checks behind `kb check`, shared with the editor API.
struct ContentCheck {
    struct Report {
        var articles: Int
        var topics: Int
        var synonymGroups: Int
        var intents: Int
        var issues: [ContentIssue]

        var summary: String {
            let verdict = issues.isEmpty ? "ok" : "\(issues.count) problem(s)"
            return "\(verdict): \(articles) articles (\(topics) topics), \(synonymGroups) synonym groups, \(intents) intents"
        }
    }

    func run(kb: URL, intents: URL) throws -> Report {
        do {
            let knowledgeBase = try KnowledgeBaseLoader().load(directory: kb)
            var issues = knowledgeBase.issues
            var intentCount = 0
            if FileManager.default.fileExists(atPath: intents.path) {
                let loaded = try IntentLoader().load(directory: intents)
                intentCount = loaded.intents.count
                issues += loaded.issues
            }
            return Report(articles: knowledgeBase.articles.count, topics: Set(knowledgeBase.articles.map(\.id)).count,
                          synonymGroups: knowledgeBase.synonymGroups.count, intents: intentCount, issues: issues)
        } catch let error as ContentError {
            throw CommandFailure(error.description)
        }
    }
}
