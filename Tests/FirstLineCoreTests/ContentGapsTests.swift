import FirstLineCore
import Foundation
import Testing

/// The content-gap report's clusters (issue: console, points 3 and 6) on seeded ko/ja/en messages:
/// one problem in three languages is one cluster, through the content's synonyms.
@Suite("content gaps: clusters across languages")
struct ContentGapsTests {
    static let tokenizer = Tokenizer(synonyms: SynonymTable(groups: [["프린터", "プリンター", "printer"]]))
    static let start = Date(timeIntervalSince1970: 1_772_413_200)

    static func message(_ text: String, _ kind: GapMessage.Kind, minutes: Double, ticket: String? = nil) -> GapMessage {
        GapMessage(text: text, kind: kind, at: start.addingTimeInterval(minutes * 60), ticketNumber: ticket)
    }

    static let messages = [
        message("프린터 용지가 자꾸 걸려요", .escalated, minutes: 1, ticket: "HD-000001"),
        message("プリンターで紙が詰まります", .stillBroken, minutes: 2),
        message("the printer keeps jamming paper", .unanswered, minutes: 3),
        message("printer jam again", .escalated, minutes: 4, ticket: "HD-000003"),
        message("SAP 로그인이 안 돼요", .unanswered, minutes: 5),
        message("SAP login fails", .escalated, minutes: 6, ticket: "HD-000002"),
        message("what's for lunch today?", .outOfScope, minutes: 7),
    ]

    @Test("the printer in three languages is one cluster, SAP another; a lone message is no cluster")
    func clusters() {
        let clusters = ContentGaps(tokenizer: Self.tokenizer).clusters(Self.messages) { text in
            text.lowercased().contains("sap") ? "sap-login" : nil
        }
        #expect(clusters.count == 2, "\(clusters)")
        let printer = clusters[0]
        #expect(["printer", "프린터", "プリンター"].contains(printer.term), "\(printer.term)")
        #expect(printer.count == 4)
        #expect(printer.kinds == ["escalated": 2, "still_broken": 1, "unanswered": 1])
        #expect(printer.tickets == ["HD-000001", "HD-000003"])
        // One example per language first.
        #expect(printer.examples.prefix(3).contains("프린터 용지가 자꾸 걸려요"))
        #expect(printer.examples.prefix(3).contains("プリンターで紙が詰まります"))
        #expect(printer.nearestArticle == nil)
        let sap = clusters[1]
        #expect(sap.term == "sap" && sap.count == 2 && sap.tickets == ["HD-000002"])
        #expect(sap.nearestArticle == "sap-login")
    }

    @Test("no messages, no clusters; the limit holds")
    func limits() {
        #expect(ContentGaps(tokenizer: Self.tokenizer).clusters([]).isEmpty)
        #expect(ContentGaps(tokenizer: Self.tokenizer).clusters(Self.messages, limit: 1).count == 1)
    }
}
