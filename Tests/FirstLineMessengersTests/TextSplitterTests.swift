import FirstLineCore
import FirstLineMessengers
import Testing

@Suite struct TextSplitterTests {
    /// Named, so test output shows the name rather than pages of text.
    static let samples = [
        "korean": String(repeating: "VPN이 안 돼요. 네트워크 설정을 확인하고 다시 시도하세요. ", count: 400),
        "japanese": String(repeating: "パスワードを忘れました。ポータルから再設定してください。", count: 400),
        "emoji": String(repeating: "👍🏽👨‍👩‍👧‍👦🇯🇵😀", count: 700),
        "hangul without breaks": String(repeating: "가나다라마바사아자차카타파하", count: 700),
        "mixed with combining marks": String(repeating: "ａｂｃ 漢字かなカナ 한글 e\u{301} 🇰🇷\n", count: 500),
    ]

    @Test(arguments: samples.keys.sorted(), [4096, 5000, 2000, 1000, 3001, 15])
    func partsFitAndConcatenateToTheOriginal(_ sample: String, _ limit: Int) throws {
        let text = try #require(Self.samples[sample])
        let parts = TextSplitter.split(text, limit: limit, measure: .utf16)
        #expect(parts.count > 1)
        #expect(parts.allSatisfy { $0.utf16.count <= limit })
        #expect(parts.allSatisfy { !$0.isEmpty })
        #expect(parts.joined() == text)
        // Graphemes survive intact: splitting inside one would change the character sequence.
        #expect(parts.flatMap { Array($0) } == Array(text))
        // No lone surrogate anywhere: every part is valid UTF-16 on its own.
        #expect(parts.allSatisfy { String(decoding: Array($0.utf16), as: UTF16.self) == $0 })
    }

    @Test func shortTextIsOnePart() {
        #expect(TextSplitter.split("짧은 글", limit: 4096) == ["짧은 글"])
        #expect(TextSplitter.split("", limit: 10) == [""])
    }

    @Test func emojiAtTheLimitMovesWhole() {
        // "aaa" + 😀 (2 units) with limit 4: the emoji does not fit after three a's.
        #expect(TextSplitter.split("aaa😀", limit: 4) == ["aaa", "😀"])
        // The family emoji is 11 UTF-16 units: it moves whole to the next part.
        #expect(TextSplitter.split("aa👨‍👩‍👧‍👦", limit: 11) == ["aa", "👨‍👩‍👧‍👦"])
    }

    @Test func cutsPreferParagraphsThenLinesThenSentences() {
        let text = "First paragraph line one.\nline two.\n\nSecond paragraph goes on and on."
        let parts = TextSplitter.split(text, limit: 50)
        #expect(parts == ["First paragraph line one.\nline two.\n\n", "Second paragraph goes on and on."])
        let japanese = String(repeating: "あ", count: 8) + "。" + String(repeating: "い", count: 8)
        #expect(TextSplitter.split(japanese, limit: 12) == [String(repeating: "あ", count: 8) + "。", String(repeating: "い", count: 8)])
    }

    @Test func measuresCountTheirOwnWay() {
        let text = "한😀"
        #expect(TextMeasure.utf16.length(of: text) == 3)
        #expect(TextMeasure.utf8.length(of: text) == 7)
        #expect(TextMeasure.unicodeScalars.length(of: text) == 2)
    }

    @Test func aGraphemeLongerThanTheLimitIsCutBetweenScalars() {
        // Only possible with absurd limits; the text still survives whole.
        let family = "👨‍👩‍👧‍👦"
        let parts = TextSplitter.split("a" + family, limit: 4)
        #expect(parts.joined() == "a" + family)
        #expect(parts.allSatisfy { $0.utf16.count <= 4 })
    }

    @Test func truncateCutsBetweenGraphemes() {
        #expect(TextSplitter.truncate("担当者につなぐ", limit: 20) == "担当者につなぐ")
        let cut = TextSplitter.truncate(String(repeating: "😀", count: 15), limit: 20)
        #expect(cut == String(repeating: "😀", count: 9) + "…")
        #expect(cut.utf16.count <= 20)
        #expect(TextSplitter.truncate("abcdef", limit: 1) == "a")
    }
}
