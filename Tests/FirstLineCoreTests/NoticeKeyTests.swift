import FirstLineCore
import Testing

/// Idempotency keys are stored and compared with rows written by earlier versions: each kind of
/// notice keeps its exact format, and different notices never share a key.
@Suite("NoticeKey: one typed key per kind of notice")
struct NoticeKeyTests {
    static let cases: [(NoticeKey, String)] = [
        (.reply(platform: .slack, eventID: "Ev01", index: 1), "slack:Ev01:1"),
        (.reply(platform: .lineworks, eventID: "evt-9", index: 3), "lineworks:evt-9:3"),
        (.agentThreadAcknowledgement(platform: .telegram, eventID: "55"), "telegram:55:ack"),
        (.agentAction(ticket: "HD-000042", action: "A1", index: 2), "agent:HD-000042:A1:2"),
        (.ticketAnnouncement(ticket: "HD-000042"), "desk:new:HD-000042"),
        (.assignedToAgent(ticket: "HD-000042", agent: "ana", at: 1_700_000_000), "desk:assigned:HD-000042:ana:1700000000"),
        (.breachToLead(ticket: "HD-000042", metric: "resolution"), "desk:breach:HD-000042:resolution:lead"),
        (.slaAlarm(ticket: "HD-000042", metric: "firstResponse", alarm: "warning"), "desk:sla:HD-000042:firstResponse:warning"),
        (.approvalUnreachable(ticket: "HD-000042"), "desk:approval:HD-000042:unreachable"),
        (.approvalRequest(ticket: "HD-000042", reminder: 0), "approval:HD-000042:0"),
        (.approvalOutcome(ticket: "HD-000042"), "approval:HD-000042:outcome"),
    ]

    @Test("every kind renders its stored format")
    func formats() {
        for (key, expected) in Self.cases { #expect(key.description == expected) }
    }

    @Test("no two notices share a key, and announcements are found by their prefix")
    func distinct() {
        let rendered = Self.cases.map(\.0.description)
        #expect(Set(rendered).count == rendered.count)
        #expect(NoticeKey.ticketAnnouncement(ticket: "HD-1").description.hasPrefix(NoticeKey.ticketAnnouncementPrefix))
        #expect(rendered.filter { $0.hasPrefix(NoticeKey.ticketAnnouncementPrefix) }.count == 1)
    }

    @Test("the platform vocabulary: four messengers, two in-request channels")
    func platforms() {
        #expect(Platform.messengers == [.slack, .telegram, .line, .lineworks])
        #expect(!Platform.web.isMessenger && !Platform.terminal.isMessenger)
        #expect(Platform.allCases.allSatisfy { TicketChannel($0).rawValue == $0.rawValue })
        #expect(TicketCategory(nil) == .general && TicketCategory(.network) == .network && TicketCategory.general.articleCategory == nil)
        #expect(TicketPriority.p1 < .p2 && TicketPriority.allCases.sorted() == [.p1, .p2, .p3, .p4])
    }
}
