import FirstLineCore
import Testing

/// Design §3, "Learn": Solved adds the message to the article's learned field; Still broken lowers
/// the article for similar messages. Both arrive through `ContentIndex`'s initialiser when the
/// index is rebuilt.
@Suite("Learning from feedback")
struct LearningTests {
    static let articles = [
        Article(id: "printer-not-printing", lang: .en, title: "Nothing comes out of the printer", category: .hardware,
                keywords: ["printer", "print queue"], questions: ["printer not printing", "print job stuck", "printer offline"],
                body: "Open the print queue and cancel the stuck job."),
        Article(id: "printer-driver", lang: .en, title: "Install a printer driver", category: .hardware,
                keywords: ["printer", "driver"], questions: ["add a printer", "install printer driver", "printer driver missing"],
                body: "Add the printer from the self-service portal."),
        Article(id: "wifi-connect", lang: .en, title: "Wi-Fi keeps dropping", category: .network,
                keywords: ["wifi", "wireless"], questions: ["wifi not working", "wireless drops", "no internet on wifi"],
                body: "Forget the network and join again."),
    ]

    @Test("a phrasing confirmed by Solved makes the article findable with those words")
    func solvedIsLearned() throws {
        let plain = ContentIndex(articles: Self.articles, intents: [])
        #expect(plain.search("laser beast refuses paper").hits.first?.id != "printer-not-printing")

        let learned = ContentIndex(articles: Self.articles, intents: [],
                                   learned: ["printer-not-printing": "laser beast refuses paper"])
        #expect(try #require(learned.search("laser beast refuses paper").hits.first).id == "printer-not-printing")
    }

    @Test("Still broken lowers the article for similar messages, and only for those")
    func stillBrokenDemotes() throws {
        let message = "printer not printing after the driver update"
        let plain = ContentIndex(articles: Self.articles, intents: [])
        let before = try #require(plain.search(message).hits.first)

        let demoted = ContentIndex(articles: Self.articles, intents: [], demoted: [before.id: [message, message, message]])
        let after = demoted.search(message).hits
        // The article that failed this message three times is no longer first, and scores as
        // documented: three similar failures, three times the factor.
        #expect(after.first?.id != before.id)
        let lowered = try #require(after.first { $0.id == before.id })
        #expect(abs(lowered.score - before.score * ContentIndex.demotionFactor * ContentIndex.demotionFactor
            * ContentIndex.demotionFactor) < 1e-9)

        // An unrelated question is not affected by the verdicts on printing.
        #expect(demoted.search("wifi keeps dropping").hits.first?.id == "wifi-connect")
        #expect(demoted.search("wifi keeps dropping").hits.first?.score == plain.search("wifi keeps dropping").hits.first?.score)
    }
}
