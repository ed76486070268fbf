import Foundation
@testable import FirstLineCore
import Testing

/// A small fixed corpus in three languages.
enum SampleCorpus {
    static let documents: [SearchDocument] = [
        SearchDocument(id: "password-reset", lang: "en", title: "Reset a forgotten password", category: "account",
                       keywords: "password\nforgot password\nreset", body: "Open the self-service portal and choose Reset."),
        SearchDocument(id: "password-reset", lang: "ko", title: "비밀번호를 잊어버렸을 때", category: "account",
                       keywords: "비밀번호\n비번\n초기화", body: "셀프 서비스 포털에서 초기화를 누르세요."),
        SearchDocument(id: "printer-jam", lang: "en", title: "Printer paper jam", category: "hardware",
                       keywords: "printer\npaper jam", body: "Open the tray and remove the stuck paper."),
        SearchDocument(id: "printer-jam", lang: "ko", title: "프린터 용지 걸림", category: "hardware",
                       keywords: "프린터\n용지 걸림", body: "용지함을 열고 걸린 종이를 빼세요."),
        SearchDocument(id: "printer-jam", lang: "ja", title: "プリンターの紙詰まり", category: "hardware",
                       keywords: "プリンター\n紙詰まり", body: "トレイを開けて詰まった紙を取り除きます。"),
        SearchDocument(id: "vpn-connect", lang: "en", title: "VPN connection fails", category: "network",
                       keywords: "vpn\nremote access", body: "Restart the client and check your internet connection."),
        SearchDocument(id: "laptop-setup", lang: "en", title: "Setting up a new laptop", category: "hardware",
                       keywords: "new laptop\nonboarding", body: "Sign in, install updates, then connect to the VPN once."),
        SearchDocument(id: "mfa-setup", lang: "en", title: "Authentication app setup", category: "security",
                       keywords: "authentication\nauthenticator", body: "Scan the QR code with the app."),
    ]

    static let index = SearchIndex(documents: documents)
}

@Suite("SearchIndex: BM25F ranking")
struct SearchIndexRankingTests {
    @Test("a title match outranks a body-only match")
    func titleBeatsBody() throws {
        let result = SampleCorpus.index.search("vpn")
        let ids = result.hits.map(\.id)
        #expect(ids.contains("laptop-setup"), "the body mention must still be found")
        let first = try #require(result.hits.first)
        #expect(first.id == "vpn-connect")
        let vpn = try #require(result.hits.first { $0.id == "vpn-connect" })
        let laptop = try #require(result.hits.first { $0.id == "laptop-setup" })
        #expect(vpn.score > laptop.score)
    }

    @Test("the score of a one-term query equals BM25F computed by hand")
    func exactImpact() throws {
        var parameters = RankingParameters()
        parameters.k1 = 1.2
        parameters.fieldWeights = [3.0, 2.0, 1.0, 1.5]
        parameters.fieldB = [0.75, 0.75, 0.75, 0.5]
        parameters.kindWeights = [1.0, 1.0, 0.3, 0.8, 0.3]
        // Every term is a plain English word: no stop words, nothing the stemmer changes.
        let a = SearchDocument(id: "a", lang: "en", title: "printer jam", keywords: "toner printer",
                               body: "printer offline printer")
        let b = SearchDocument(id: "b", lang: "en", title: "monitor flicker", keywords: "screen cable",
                               body: "check cable")
        let index = SearchIndex(documents: [a, b], parameters: parameters)

        // Field lengths: a = (2, 2, 3, 0), b = (2, 2, 2, 0); averages (2, 2, 2.5, max(0, 1)).
        let n = 2.0, df = 1.0
        let idf = log(1 + (n - df + 0.5) / (df + 0.5))
        func norm(_ b: Double, _ length: Double, _ average: Double) -> Double { 1 - b + b * length / average }
        let pseudoTF = 3.0 * 1 / norm(0.75, 2, 2)   // title: one occurrence
            + 2.0 * 1 / norm(0.75, 2, 2)            // keywords: one occurrence
            + 1.0 * 2 / norm(0.75, 3, 2.5)          // body: two occurrences
        let k1 = 1.2
        let expected = idf * pseudoTF * (k1 + 1) / (k1 + pseudoTF)

        let result = index.search("printer")
        #expect(result.hits.count == 1)
        let hit = try #require(result.hits.first)
        #expect(hit.id == "a")
        #expect(abs(hit.score - expected) < 1e-4, "score \(hit.score), expected \(expected)")
        // The attainable score of a one-word query is its weight × idf × the saturation of a
        // perfect match: once in the title and once in the keywords (tf~ = 3 + 2).
        let perfect = 5.0 * (k1 + 1) / (k1 + 5.0)
        #expect(abs(result.attainableScore - idf * perfect) < 1e-4)
        #expect(abs(result.confidence - min(expected / (idf * perfect), 1)) < 1e-4)
    }

    @Test("a field weight changes the score as BM25F says")
    func fieldWeightMatters() throws {
        var heavyBody = RankingParameters()
        heavyBody.fieldWeights = [1.0, 1.0, 5.0, 1.0]
        let documents = [
            SearchDocument(id: "title", lang: "en", title: "toner", body: "cartridge"),
            SearchDocument(id: "body", lang: "en", title: "cartridge", body: "toner"),
        ]
        let standard = SearchIndex(documents: documents).search("toner")
        let boosted = SearchIndex(documents: documents, parameters: heavyBody).search("toner")
        #expect(standard.hits.first?.id == "title")
        #expect(boosted.hits.first?.id == "body")
    }

    @Test("equal scores are ordered by id")
    func tiesBreakByID() {
        let twin = { (id: String) in
            SearchDocument(id: id, lang: "en", title: "Monitor flickers", keywords: "monitor", body: "Check the cable.")
        }
        let index = SearchIndex(documents: [twin("zeta"), twin("beta"), twin("alpha"), twin("gamma")])
        let result = index.search("monitor flicker")
        #expect(result.hits.map(\.id) == ["alpha", "beta", "gamma", "zeta"])
        #expect(Set(result.hits.map(\.score)).count == 1)
        #expect(index.search("monitor flicker", limit: 2).hits.map(\.id) == ["alpha", "beta"])
    }

    @Test("equal scores are ordered by id even when more documents tie than the limit keeps")
    func tiesBreakByIDBeyondTheCandidateDepth() {
        // Twelve identical documents, listed with descending ids: d11 first, d00 last.
        let twins = (0..<12).reversed().map { number in
            SearchDocument(id: "d" + (number < 10 ? "0" : "") + String(number), lang: "en", title: "Monitor flickers")
        }
        let index = SearchIndex(documents: twins)
        #expect(index.search("monitor", limit: 12).hits.map(\.id).prefix(3) == ["d00", "d01", "d02"])
        #expect(index.search("monitor", limit: 1).hits.map(\.id) == ["d00"])
    }

    @Test("an article in several languages is one hit, its best language version")
    func oneHitPerArticle() throws {
        let result = SampleCorpus.index.search("printer 프린터 プリンター")
        let printerHits = result.hits.filter { $0.id == "printer-jam" }
        #expect(printerHits.count == 1)
        #expect(Set(result.hits.map(\.id)).count == result.hits.count)
        let korean = try #require(SampleCorpus.index.search("프린터가 안 돼요").hits.first)
        #expect(korean.id == "printer-jam")
        #expect(korean.lang == "ko")
        let japanese = try #require(SampleCorpus.index.search("紙詰まりしました").hits.first)
        #expect(japanese.id == "printer-jam")
        #expect(japanese.lang == "ja")
    }

    @Test("the limit caps the number of hits; a zero limit returns none")
    func limit() {
        let all = SampleCorpus.index.search("password printer vpn laptop", limit: 10)
        #expect(all.hits.count == 4)
        #expect(SampleCorpus.index.search("password printer vpn laptop", limit: 2).hits.count == 2)
        #expect(SampleCorpus.index.search("password printer vpn laptop", limit: 2).hits.map(\.id) == Array(all.hits.prefix(2).map(\.id)))
        #expect(SampleCorpus.index.search("password", limit: 0).hits.isEmpty)
    }

    @Test("hits are sorted by decreasing score")
    func sorted() {
        let hits = SampleCorpus.index.search("new laptop vpn connection password").hits
        #expect(hits.count >= 3)
        #expect(zip(hits, hits.dropFirst()).allSatisfy { $0.score >= $1.score })
    }

    @Test("a query of only stop words returns no hits", arguments: ["the", "how do I", "can you help me please", "안 돼요", "を"])
    func stopWordsOnly(_ query: String) {
        let result = SampleCorpus.index.search(query)
        #expect(result.hits.isEmpty)
        #expect(result.confidence == 0)
        #expect(result.decision() == .rephrase)
    }

    @Test("an empty index answers nothing")
    func emptyIndex() {
        let index = SearchIndex(documents: [])
        #expect(index.count == 0)
        #expect(index.search("password").hits.isEmpty)
    }
}

@Suite("SearchIndex: typo tolerance")
struct TypoToleranceTests {
    @Test("a misspelt word finds the article of the word it means", arguments: [
        ("pasword", "password-reset"),   // one deletion
        ("passwrod", "password-reset"),  // neighbours swapped
        ("printr", "printer-jam"),       // one deletion in a short word
        ("prinetr", "printer-jam"),      // swap
        ("conection", "vpn-connect"),    // one deletion in a long word
        ("connnecttion", "vpn-connect"), // two extra letters in a long word (connection)
        ("authenticatoin", "mfa-setup"), // swap in a long word
    ])
    func typoFound(_ query: String, _ article: String) {
        let hits = SampleCorpus.index.search(query).hits
        #expect(hits.first?.id == article, "\(query) → \(hits.map(\.id))")
    }

    @Test("a two-edit typo with missing or substituted letters in a long word is found", arguments: [
        ("conecton", "vpn-connect"),       // connection, two letters missing
        ("athentcation", "mfa-setup"),     // authentication, two letters missing
        ("authemtixation", "mfa-setup"),   // authentication, two substitutions
    ])
    func twoEditTypoFound(_ query: String, _ article: String) {
        #expect(EditDistance.damerauLevenshtein(Array(query.utf8), Array(
            (article == "vpn-connect" ? "connection" : "authentication").utf8), limit: 2) == 2)
        let hits = SampleCorpus.index.search(query).hits
        #expect(hits.first?.id == article, "\(query) → \(hits.map(\.id))")
    }

    @Test("a typo scores less than the correct spelling")
    func typoDiscounted() throws {
        let exact = try #require(SampleCorpus.index.search("password").hits.first)
        let typo = try #require(SampleCorpus.index.search("pasword").hits.first)
        #expect(exact.id == typo.id)
        #expect(typo.score < exact.score)
    }

    @Test("two edits are too many for a short word", arguments: ["prntr", "pswrd"])
    func shortWordTwoEdits(_ query: String) {
        #expect(SampleCorpus.index.search(query).hits.isEmpty)
    }

    @Test("words shorter than four letters are not corrected")
    func shortWordsNotCorrected() {
        // "vpm" is one substitution away from "vpn", but three letters are too few to guess from.
        #expect(SampleCorpus.index.search("vpm").hits.isEmpty)
    }
}

@Suite("SearchResult: decision")
struct DecisionTests {
    @Test("a clear single match is answered")
    func clearMatch() throws {
        let result = SampleCorpus.index.search("printer paper jam")
        #expect(result.hits.first?.id == "printer-jam")
        #expect(result.confidence >= DecisionThresholds().answerConfidence)
        #expect(result.gap >= DecisionThresholds().answerGap)
        #expect(result.decision() == .answer)
    }

    @Test("two near-identical articles are offered as choices")
    func ambiguous() {
        let index = SearchIndex(documents: [
            SearchDocument(id: "outlook-crash", lang: "en", title: "Outlook crashes on start", keywords: "outlook\ncrash",
                           body: "Start Outlook in safe mode and disable add-ins."),
            SearchDocument(id: "outlook-freeze", lang: "en", title: "Outlook crashes on start", keywords: "outlook\ncrash",
                           body: "Start Outlook in safe mode and repair the profile."),
            SearchDocument(id: "printer-jam", lang: "en", title: "Printer paper jam", body: "Remove the paper."),
        ])
        let result = index.search("outlook crashes")
        #expect(Set(result.hits.prefix(2).map(\.id)) == ["outlook-crash", "outlook-freeze"])
        #expect(result.gap < DecisionThresholds().answerGap)
        #expect(result.decision() == .choices)
    }

    @Test("unrelated gibberish asks to rephrase")
    func gibberish() {
        let result = SampleCorpus.index.search("zxqv blorf quizzle")
        #expect(result.confidence < DecisionThresholds().choicesConfidence)
        #expect(result.decision() == .rephrase)
    }

    @Test("confidence and gap follow their definitions")
    func confidenceAndGap() {
        let hit = { (score: Double) in SearchHit(id: "x\(score)", lang: "en", title: "", category: nil, score: score) }
        let result = SearchResult(hits: [hit(4), hit(3)], attainableScore: 10)
        #expect(abs(result.confidence - 0.4) < 1e-12)
        #expect(abs(result.gap - 0.25) < 1e-12)
        #expect(result.decision() == .answer)
        #expect(SearchResult(hits: [hit(4), hit(3.9)], attainableScore: 10).decision() == .choices)
        #expect(SearchResult(hits: [hit(1)], attainableScore: 10).decision() == .rephrase)
        #expect(SearchResult(hits: [hit(4)], attainableScore: 10).gap == 1)
        #expect(SearchResult(hits: [hit(40)], attainableScore: 10).confidence == 1)
        #expect(SearchResult(hits: [], attainableScore: 10).confidence == 0)
    }
}
