import FirstLineCore
import Testing

@Suite("ContentIndex: articles and intents together")
struct ContentIndexTests {
    static let articles = [
        Article(id: "printer-jam", lang: .en, title: "Printer paper jam", category: .hardware,
                keywords: ["printer", "paper jam"], questions: ["printer is jammed", "paper stuck", "printer says jam"],
                body: "Open the tray and remove the paper."),
        Article(id: "printer-jam", lang: .ko, title: "프린터 용지 걸림", category: .hardware,
                keywords: ["프린터", "용지 걸림"], questions: ["프린터에 종이가 걸렸어요", "용지 걸림", "프린터 걸림"],
                body: "용지함을 열고 종이를 빼세요."),
        Article(id: "vpn-connect", lang: .en, title: "VPN won't connect", category: .network,
                keywords: ["vpn"], questions: ["vpn down", "vpn keeps dropping", "cant connect to vpn"],
                body: "Restart the VPN client."),
        Article(id: "old-fax", lang: .en, title: "Fax machine setup", category: .hardware,
                keywords: ["fax"], questions: ["fax setup", "send a fax", "fax machine"],
                status: .draft, body: "Plug the phone line in."),
    ]

    static let intents = [
        Intent(id: "greet", action: .greet,
               examples: [.ko: ["안녕하세요", "하이"], .ja: ["こんにちは", "おはようございます"], .en: ["hi", "hello", "hey there", "good morning"]],
               replies: [.ko: ["안녕하세요!"], .ja: ["こんにちは！"], .en: ["Hi!"]]),
        Intent(id: "thanks", action: .thanks,
               examples: [.ko: ["감사합니다", "고마워요"], .ja: ["ありがとうございます", "助かりました"], .en: ["thanks", "thank you", "thx", "cheers"]],
               replies: [.ko: ["천만에요"], .ja: ["どういたしまして"], .en: ["You're welcome"]]),
        Intent(id: "request-hardware", action: .request,
               examples: [.ko: ["모니터 신청"], .ja: ["モニター申請"], .en: ["request a new monitor", "need a new keyboard"]],
               replies: [.ko: ["접수할게요"], .ja: ["受け付けます"], .en: ["I'll file it"]],
               category: .hardware),
    ]

    let content = ContentIndex(articles: Self.articles, intents: Self.intents)

    @Test("drafts are not indexed; each intent is one document per language")
    func documents() {
        #expect(content.articles.map(\.id) == ["printer-jam", "printer-jam", "vpn-connect"])
        #expect(content.index.count == 3 + 3 * 3)
        #expect(content.search("fax machine setup").hits.isEmpty)
        #expect(content.index.articles.filter { $0.id == "intent:request-hardware" }.allSatisfy { $0.category == "hardware" })
    }

    @Test("hits map to their targets")
    func targets() throws {
        let article = try #require(content.search("printer jam").hits.first)
        #expect(ContentIndex.target(of: article) == .article(id: "printer-jam"))
        let intent = try #require(content.search("감사합니다").hits.first)
        #expect(ContentIndex.target(of: intent) == .intent(id: "thanks"))
        #expect(content.intent(id: "thanks")?.action == .thanks)
        #expect(content.intent(id: "nope") == nil)
    }

    @Test("an article is found in the wanted language, or in another one it exists in")
    func articleLookup() {
        #expect(content.article(id: "printer-jam", language: .ko)?.lang == .ko)
        #expect(content.article(id: "printer-jam", language: .ja)?.lang == .ko, "ko comes before en")
        #expect(content.article(id: "vpn-connect", language: .ja)?.lang == .en)
        #expect(content.article(id: "old-fax", language: .en) == nil, "drafts are not served")
    }

    @Test("Korean and Japanese thanks beat the article mentioned in the same message", arguments: [
        "프린터 고쳐졌어요 감사합니다", "ありがとうございます、プリンター直りました",
    ])
    func thanksInCJK(_ message: String) {
        #expect(content.search(message).hits.first?.id == "intent:thanks")
    }

    @Test("a service request in English reaches its intent")
    func request() {
        #expect(content.search("I need a new monitor").hits.first?.id == "intent:request-hardware")
    }

    @Test("English greetings and thanks reach their intents", arguments: [
        ("hi", "intent:greet"), ("hello there", "intent:greet"),
        ("thanks!", "intent:thanks"), ("thank you so much, that fixed it", "intent:thanks"),
    ])
    func englishSmallTalk(_ message: String, _ expected: String) {
        #expect(content.search(message).hits.first?.id == expected, "\(message) → \(content.search(message).hits.map(\.id))")
    }
}
