import FirstLineContent
import FirstLineCore
import Foundation
import Testing

/// The knowledge base and intents that ship in the repository.
@Suite("Shipped content")
struct ShippedContentTests {
    let knowledgeBase: KnowledgeBase
    let intents: [Intent]
    let intentIssues: [ContentIssue]

    init() throws {
        knowledgeBase = try KnowledgeBaseLoader().load(directory: Repository.knowledgeBase)
        (intents, intentIssues) = try IntentLoader().load(directory: Repository.intents)
    }

    @Test("the knowledge base and intents have no issues")
    func noIssues() {
        #expect(knowledgeBase.issues.isEmpty, "\(knowledgeBase.issues.map(\.description).joined(separator: "\n"))")
        #expect(intentIssues.isEmpty, "\(intentIssues.map(\.description).joined(separator: "\n"))")
    }

    @Test("at least 120 articles and 40 topics, each topic in ko, ja and en")
    func coverage() {
        #expect(knowledgeBase.articles.count >= 120)
        var languages: [String: Set<Language>] = [:]
        for article in knowledgeBase.articles { languages[article.id, default: []].insert(article.lang) }
        let complete = languages.filter { $0.value == Set(Language.allCases) }
        #expect(complete.count >= 40, "topics in all three languages: \(complete.count)")
        let incomplete = languages.filter { $0.value != Set(Language.allCases) }.keys.sorted()
        #expect(incomplete.isEmpty, "topics missing a language: \(incomplete)")
    }

    @Test("every article has at least 3 example questions, keywords and a body")
    func articleContent() {
        for article in knowledgeBase.articles {
            #expect(article.questions.count >= 3, "\(article.lang.rawValue)/\(article.id)")
            #expect(!article.keywords.isEmpty, "\(article.lang.rawValue)/\(article.id)")
            #expect(!article.body.isEmpty, "\(article.lang.rawValue)/\(article.id)")
        }
    }

    @Test("at least 60 synonym groups")
    func synonyms() {
        #expect(knowledgeBase.synonymGroups.count >= 60)
        #expect(knowledgeBase.synonymGroups.allSatisfy { $0.count >= 2 })
    }

    @Test("the conversational intents exist with at least 10 examples per language",
          arguments: ["greet", "thanks", "bye", "human", "status", "cancel", "feedback-yes", "feedback-no", "urgent"])
    func intent(_ id: String) throws {
        let intent = try #require(intents.first { $0.id == id }, "missing intent \(id)")
        for language in Language.allCases {
            #expect((intent.examples[language]?.count ?? 0) >= 10, "\(id) \(language.rawValue)")
            #expect(!(intent.replies[language] ?? []).isEmpty, "\(id) \(language.rawValue) reply")
        }
    }

    @Test("service-request intents route to a category and have at least 10 examples per language")
    func requestIntents() {
        let requests = intents.filter { $0.id.hasPrefix("request-") }
        #expect(!requests.isEmpty)
        for intent in requests {
            #expect(intent.action == .request, "\(intent.id)")
            #expect(intent.category != nil, "\(intent.id)")
            for language in Language.allCases {
                #expect((intent.examples[language]?.count ?? 0) >= 10, "\(intent.id) \(language.rawValue)")
            }
        }
    }

    @Test("intent actions are the ones the dialogue engine expects")
    func intentActions() {
        let actions = Dictionary(uniqueKeysWithValues: intents.map { ($0.id, $0.action) })
        #expect(actions["greet"] == .greet)
        #expect(actions["thanks"] == .thanks)
        #expect(actions["bye"] == .bye)
        #expect(actions["human"] == .escalate)
        #expect(actions["status"] == .status)
        #expect(actions["cancel"] == .cancel)
        #expect(actions["feedback-yes"] == .feedbackYes)
        #expect(actions["feedback-no"] == .feedbackNo)
        #expect(actions["urgent"] == .urgent)
    }
}
