import FirstLineCore
import Testing

@Suite("LanguageDetector")
struct DialogueLanguageDetectorTests {
    @Test("one message's language, from its scripts", arguments: [
        ("비밀번호를 잊어버렸어요", Language.ko),
        ("VPN이 안 돼요", .ko),
        ("Outlook 메일함이 가득 찼어요", .ko),
        ("ㅠㅠ ㄳ", .ko),
        ("パスワードを忘れました", .ja),
        ("Wi-Fiにつながりません", .ja),
        ("Teamsの会議に入れません", .ja),
        ("プリンター", .ja),
        ("印刷", .ja),
        ("ｱｶｳﾝﾄ", .ja),
        ("my VPN is down", .en),
        ("ＶＰＮ", .en),
        ("How do I type 한글 on my keyboard?", .en),
        ("ok", .en),
    ])
    func detects(_ text: String, _ expected: Language) {
        #expect(LanguageDetector().detect(text) == expected)
    }

    @Test("no letters, no language", arguments: ["", "   ", "1234", "👍!!", "??", "ー・"])
    func noLetters(_ text: String) {
        #expect(LanguageDetector().detect(text) == nil)
    }
}
