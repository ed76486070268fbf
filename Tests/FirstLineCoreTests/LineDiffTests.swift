import Testing

@testable import FirstLineCore

/// The line diff the editors' console shows between an article version and the live file (issue 14, point 3).
@Suite("line diff")
struct LineDiffTests {
    /// `" a"`, `"-a"`, `"+a"`: the diff as a reader sees it.
    static func rendered(_ lines: [LineDiff.Line]) -> [String] {
        lines.map { line in
            switch line.kind {
            case .same: " " + line.text
            case .removed: "-" + line.text
            case .added: "+" + line.text
            }
        }
    }

    @Test("identical texts are all the same lines, numbered in both")
    func identical() {
        let lines = LineDiff.lines(from: "a\nb\nc\n", to: "a\nb\nc")
        #expect(Self.rendered(lines) == [" a", " b", " c"])
        #expect(lines.map(\.oldNumber) == [1, 2, 3] && lines.map(\.newNumber) == [1, 2, 3])
        #expect(LineDiff.isUnchanged(lines))
    }

    @Test("a changed line in the middle reads as the old one removed, then the new one added, with both numbers")
    func changedLine() {
        let old = "---\ntitle: VPN\n---\n1. Open the app.\n2. Sign in.\n3. Connect."
        let new = "---\ntitle: VPN\n---\n1. Open the app.\n2. Sign in with **SSO**.\n3. Connect."
        let lines = LineDiff.lines(from: old, to: new)
        #expect(Self.rendered(lines) == [" ---", " title: VPN", " ---", " 1. Open the app.", "-2. Sign in.",
                                         "+2. Sign in with **SSO**.", " 3. Connect."])
        let removed = lines.first { $0.kind == .removed }, added = lines.first { $0.kind == .added }
        #expect(removed?.oldNumber == 5 && removed?.newNumber == nil)
        #expect(added?.newNumber == 5 && added?.oldNumber == nil)
        #expect(!LineDiff.isUnchanged(lines))
    }

    @Test("insertions and deletions keep the common lines between them (longest common subsequence)")
    func insertionsAndDeletions() {
        let lines = LineDiff.lines(from: "a\nb\nc\nd\ne", to: "a\nx\nc\ne\nf")
        #expect(Self.rendered(lines) == [" a", "-b", "+x", " c", "-d", " e", "+f"])
        // Every line of each side appears exactly once, in order.
        #expect(lines.compactMap(\.oldNumber) == [1, 2, 3, 4, 5])
        #expect(lines.compactMap(\.newNumber) == [1, 2, 3, 4, 5])
    }

    @Test("empty sides, CRLF line ends, and Korean / Japanese text")
    func edges() {
        #expect(Self.rendered(LineDiff.lines(from: "", to: "새 줄\n二行目")) == ["+새 줄", "+二行目"])
        #expect(Self.rendered(LineDiff.lines(from: "지울 줄", to: "")) == ["-지울 줄"])
        #expect(LineDiff.lines(from: "", to: "").isEmpty)
        #expect(LineDiff.isUnchanged(LineDiff.lines(from: "一\r\n二\r\n", to: "一\n二")))
    }

    @Test("a rewrite too large for the table is shown as removed then added, still complete")
    func overTheLimit() {
        let old = (0..<2_100).map { "old \($0)" }.joined(separator: "\n")
        let new = (0..<2_100).map { "new \($0)" }.joined(separator: "\n")
        let lines = LineDiff.lines(from: "top\n" + old, to: "top\n" + new)
        #expect(lines.count == 1 + 4_200)
        #expect(lines[0].kind == .same)
        #expect(lines[1..<2_101].allSatisfy { $0.kind == .removed } && lines[2_101...].allSatisfy { $0.kind == .added })
    }
}
