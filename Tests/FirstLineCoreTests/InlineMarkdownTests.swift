import FirstLineCore
import Testing

@Suite("InlineMarkdown: the articles' inline formatting, per messenger")
struct InlineMarkdownTests {
    @Test("spans: bold, code, link; unmatched markers stay text")
    func spans() {
        #expect(InlineMarkdown.spans("**담당자와 이야기하기** 버튼") == [.bold("담당자와 이야기하기"), .text(" 버튼")])
        #expect(InlineMarkdown.spans("`Win + P` を押す") == [.code("Win + P"), .text(" を押す")])
        #expect(InlineMarkdown.spans("[guide](https://x.example/a)") == [.link(text: "guide", url: "https://x.example/a")])
        #expect(InlineMarkdown.spans("2 ** 3 and a ` alone") == [.text("2 ** 3 and a ` alone")])
        #expect(InlineMarkdown.spans("[not a link](javascript:alert(1))") == [.text("[not a link](javascript:alert(1))")])
        #expect(InlineMarkdown.spans("**open\nacross lines**") == [.text("**open\nacross lines**")])
    }

    @Test("plain text for LINE and Telegram", arguments: [
        ("**해결됐어요** 버튼을 누르세요", "해결됐어요 버튼을 누르세요"),
        ("「`Win + P`」を押します", "「Win + P」を押します"),
        ("see [the portal](https://id.example.com)", "see the portal (https://id.example.com)"),
        ("https://id.example.com as is", "https://id.example.com as is"),
    ])
    func plain(markdown: String, expected: String) {
        #expect(InlineMarkdown.plain(markdown) == expected)
    }

    @Test("HTML for the web chat escapes everything the employee or an editor wrote")
    func html() {
        #expect(InlineMarkdown.html("**Win + P**\nthen `Enter`") == "<strong>Win + P</strong><br>then <code>Enter</code>")
        #expect(InlineMarkdown.html("<script>alert('x')</script>") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
        #expect(InlineMarkdown.html("\"><img src=x onerror=alert(1)>") == "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;")
        #expect(InlineMarkdown.html("**<b>x</b>**") == "<strong>&lt;b&gt;x&lt;/b&gt;</strong>")
        #expect(InlineMarkdown.html("[a\"b](https://x.example/?q=\"1)") == "[a&quot;b](https://x.example/?q=&quot;1)",
                "an address with a quote is not made a link")
        #expect(InlineMarkdown.html("[가이드](https://x.example/a?b=1&c=2)")
            == "<a href=\"https://x.example/a?b=1&amp;c=2\" rel=\"noopener noreferrer\" target=\"_blank\">가이드</a>")
    }
}
