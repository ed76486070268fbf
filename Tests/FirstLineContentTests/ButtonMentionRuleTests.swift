import FirstLineContent
import FirstLineCore
import Foundation
import Testing

/// Issue 16, point 6: articles name the bot's buttons by their real labels (`kb check`).
@Suite("kb check: buttons named by their labels")
struct ButtonMentionRuleTests {
    static func article(_ lang: String, _ body: String) -> String {
        "---\nid: vpn-connect\ntitle: VPN\nlang: \(lang)\ncategory: network\nkeywords: [vpn]\nquestions: [vpn down, vpn broken, no vpn]\n---\n1. Restart.\n\(body)\n"
    }

    @Test("a wrong label is reported with its file and line; the right one passes", arguments: [
        ("ko", "안 되면 \"담당자 연결\"을 눌러 주세요.", "담당자와 이야기하기"),
        ("ja", "直らなければ「担当者につなぐ」を押してください。", "担当者と話す"),
        ("en", "If not, press **Talk to someone in person**.", "Talk to a person"),
    ])
    func wrongLabel(lang: String, line: String, label: String) {
        let result = KnowledgeBaseLoader().parseArticle(text: Self.article(lang, line), file: "KnowledgeBase/\(lang)/vpn-connect.md",
                                                        slug: "vpn-connect", folderLanguage: Language(rawValue: lang))
        #expect(result.issues.count == 1)
        #expect(result.issues.first?.line == 10)
        #expect(result.issues.first?.file == "KnowledgeBase/\(lang)/vpn-connect.md")
        #expect(result.issues.first?.message.contains(label) == true, "\(result.issues)")

        let fixed = Self.article(lang, "\"\(label)\" / 「\(label)」 / **\(label)**")
        #expect(KnowledgeBaseLoader().parseArticle(text: fixed, file: "f", slug: "vpn-connect",
                                                   folderLanguage: Language(rawValue: lang)).issues.isEmpty)
    }

    @Test("the shipped knowledge base names every button by its label")
    func shipped() throws {
        let knowledgeBase = try KnowledgeBaseLoader().load(directory: Repository.knowledgeBase)
        #expect(knowledgeBase.issues.isEmpty, "\(knowledgeBase.issues)")
    }
}
