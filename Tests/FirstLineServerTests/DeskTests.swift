import FirstLineCore
import FirstLineServer
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import FirstLineStore

/// The desk wired into the server (design §5): tickets routed on arrival, claims, presence, SLA
/// alarms on the team calendar that survive a restart, and the approval flow end to end.
@Suite("desk: routing, SLA alarms and approvals through the server")
struct DeskTests {
    static let seoul = TimeZone(identifier: "Asia/Seoul")!

    /// A Seoul office team (weekdays 09:00–18:00) with ana and bo, round robin, lead bo; bo is told on Slack.
    static func policy(reassignAfterMinutes: Int = 30) -> DeskPolicy {
        let office = BusinessCalendar.workweek([BusinessHours("09:00-18:00")!], timeZone: seoul)
        return DeskPolicy(
            calendars: ["office": office],
            teams: [Team(id: "desk", categories: Set(ArticleCategory.allCases), memberIDs: ["ana", "bo"],
                         strategy: .roundRobin, leadID: "bo")],
            teamCalendars: ["desk": "office"],
            agents: [Agent(id: "ana", capacity: 5, calendar: office), Agent(id: "bo", capacity: 5, calendar: office)],
            agentAddresses: ["bo": MessengerAddress(platform: .slack, id: "U0BO")],
            defaultTeamID: "desk", reassignAfterMinutes: reassignAfterMinutes,
            approvals: ApprovalPolicy(reminderAfterMinutes: 60, maximumReminders: 1))
    }

    static func withDeskServer<T: Sendable>(
        _ body: @Sendable (TestEnvironment, any TestClientProtocol, AppDatabase) async throws -> T
    ) async throws -> T {
        try await TestEnvironment.with { base in
            var env = base
            env.configuration.adminToken = testAdminToken
            env.configuration.desk = policy()
            // The worker's own passes are not what these tests look at; they drive `TicketDesk.tick` with the clock.
            env.configuration.deskInterval = .seconds(3600)
            let captured = env
            return try await env.withServer { client, database in try await body(captured, client, database) }
        }
    }

    /// A desk on the same file and clock as the server: all its state is in the database, so this is
    /// what the server's worker does on its next pass (and what a restarted server does on its first).
    static func desk(_ env: TestEnvironment, _ database: AppDatabase, agentChannel: AgentChannel? = nil) -> TicketDesk {
        TicketDesk(store: database, policy: env.configuration.desk, clock: env.clock, logger: TestEnvironment.quietLogger,
                   agentChannel: agentChannel)
    }

    static func escalate(_ client: any TestClientProtocol, session: String, text: String) async throws -> String {
        _ = try await client.chat(session: session, text: text)
        let human = try await client.chat(session: session, text: "사람 상담원 연결해 주세요")
        var answer = human
        if answer.ticket == nil, answer.buttons.contains(where: { $0.action == "blocks:yes" }) {
            answer = try await client.press(session: session, action: "blocks:yes")
        }
        return try #require(answer.ticket, "no ticket: \(answer.allText)")
    }

    @Test("tickets are assigned on arrival in turn, the due time is counted on the team's hours, and history says why")
    func routedOnArrival() async throws {
        try await Self.withDeskServer { env, client, database in
            let first = try await Self.escalate(client, session: try await client.newSession(), text: "모니터 화면이 깜빡거려요")
            let second = try await Self.escalate(client, session: try await client.newSession(), text: "プリンターが動きません")
            #expect(try await database.ticket(number: first)?.assignee == "ana")
            #expect(try await database.ticket(number: second)?.assignee == "bo")
            let ticket = try #require(try await database.ticket(number: first))
            #expect(ticket.team == "desk")
            let history = try await database.history(number: first)
            #expect(history.contains { $0.kind == .assignee && $0.after == "ana" && $0.actor == .system
                && $0.note?.contains("round_robin") == true })
            // Tuesday 10:00 Seoul: every target lies inside the working day or later working days.
            let due = try #require(ticket.firstResponseDueAt)
            let office = Self.policy().calendar(ofTeam: "desk")
            #expect(office.isOpen(at: due.addingTimeInterval(-1)))
            // SLA alarms are rows, plus the reassignment check.
            let timers = try await database.pendingTimers(ticketID: ticket.id!)
            #expect(Set(timers.map(\.kind)).isSuperset(of: [.firstResponseWarning, .firstResponseBreach, .reassign]))
            // bo has a Slack address: he is told about his ticket through the outbox.
            let told = try await database.dbWriter.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE conversationKey = 'slack:U0BO' AND payload LIKE ?",
                                 arguments: ["%\(second)%"]) ?? 0
            }
            #expect(told == 1)
        }
    }

    @Test("an away agent gets nothing; a logged phone ticket queues when nobody is free and is claimed once")
    func presenceQueueAndClaim() async throws {
        try await Self.withDeskServer { env, client, database in
            let ana = try await issueToken(database, name: "ana", role: .agent)
            let bo = try await issueToken(database, name: "bo", role: .agent)
            for token in [ana, bo] {
                let away = try await client.apiJSON(.put, "/api/v1/agents/me/presence", token: token, body: #"{"online":false}"#)
                #expect(away["online"] as? Bool == false)
            }
            let created = try await client.apiJSON(.post, "/api/v1/tickets", token: testAdminToken, body: jsonBody([
                "channel": "phone", "subject": "노트북 배터리가 부풀었어요", "priority": "P2",
                "employee": ["name": "Kim Minsu", "email": "minsu@example.com"],
            ]), expect: .created)
            let number = try #require(created[object: "ticket"][string: "number"])
            let waiting = try #require(try await database.ticket(number: number))
            #expect(waiting.team == "desk" && waiting.assignee == nil, "queued: both agents are away")

            // bo claims it; a second claim (a double click) is refused and changes nothing.
            let claimed = try await client.apiJSON(.post, "/api/v1/tickets/\(number)/claim", token: bo)
            #expect(claimed[object: "ticket"][string: "assignee"] == "bo")
            let again = try await client.api(.post, "/api/v1/tickets/\(number)/claim", token: ana)
            expectError(again, .conflict)
            #expect(try await database.ticket(number: number)?.assignee == "bo")
            #expect(try await database.history(number: number).filter { $0.kind == .assignee }.count == 1)

            // Bad input: an unknown ticket, a malformed presence.
            expectError(try await client.api(.post, "/api/v1/tickets/HD-999999/claim", token: bo), .notFound)
            expectError(try await client.api(.put, "/api/v1/agents/me/presence", token: bo, body: #"{"online":"yes"}"#),
                        .badRequest)
            // ana comes back: the next ticket goes to her at once.
            try await client.apiJSON(.put, "/api/v1/agents/me/presence", token: ana, body: #"{"online":true}"#)
            let next = try await client.apiJSON(.post, "/api/v1/tickets", token: testAdminToken, body: jsonBody([
                "channel": "visit", "subject": "Keyboard missing keys", "employee": ["name": "Lee"],
            ]), expect: .created)
            #expect(next[object: "ticket"][string: "assignee"] == "ana")
        }
    }

    @Test("SLA warning and breach fire from timer rows after a restart, once, with the breach escalated to the lead")
    func alarmsSurviveRestart() async throws {
        try await TestEnvironment.with { base in
            var env = base
            env.configuration.desk = Self.policy()
            env.configuration.deskInterval = .seconds(3600)
            let captured = env
            // First server life: a P2 phone ticket at Tuesday 10:00 (first response 120 business minutes → 12:00).
            let number = try await env.withServer { client, database in
                let employee = try await makeEmployee(database, "Park")
                let ticket = try await database.createTicket(NewTicket(
                    requesterID: employee, channel: .phone, subject: "VPN down for me", category: .network, priority: .p2),
                    at: captured.clock.now())
                await Self.desk(captured, database).ticketChanged(ticket.number)
                return ticket.number
            }
            // The server is gone; time passes beyond the warning (11:36) and the due time (12:00).
            env.clock.advance(by: 2.5 * 3600)
            let database = try env.openDatabase()
            defer { try? database.close() }
            let desk = Self.desk(env, database, agentChannel: AgentChannel(platform: .slack, conversationKey: "slack:C0AGENTS"))
            await desk.tick()
            await desk.tick()
            // Both alarms were posted to the agents' channel, once each.
            let posted = try await database.dbWriter.read { db in
                try String.fetchAll(db, sql: "SELECT idempotencyKey FROM outbox WHERE conversationKey = 'slack:C0AGENTS' ORDER BY id")
            }
            #expect(posted == ["desk:sla:\(number):firstResponse:warning", "desk:sla:\(number):firstResponse:breach"])
            let events = try await database.history(number: number).filter { $0.kind == .sla }
            #expect(events.map { "\($0.field ?? ""):\($0.after ?? "")" } == ["firstResponse:warning", "firstResponse:breach"])
            #expect(events.last?.note?.contains("escalated to team lead bo") == true)
            let leadTold = try await database.dbWriter.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outbox WHERE conversationKey = 'slack:U0BO' AND idempotencyKey LIKE 'desk:breach:%'") ?? 0
            }
            #expect(leadTold == 1)
            #expect(try await database.dueTimers(at: env.clock.now(), kinds: DeskTimer.Kind.allCases.filter(\.isSLA)).isEmpty)
        }
    }

    @Test("waiting on the employee pauses the SLA: the alarm that would have fired does not, and comes later")
    func pauseDefersAlarms() async throws {
        try await Self.withDeskServer { env, client, database in
            let ana = try await issueToken(database, name: "ana", role: .agent)
            let created = try await client.apiJSON(.post, "/api/v1/tickets", token: ana, body: jsonBody([
                "channel": "phone", "subject": "Outlook crashes", "priority": "P2", "employee": ["name": "Choi"],
            ]), expect: .created)
            let number = try #require(created[object: "ticket"][string: "number"])
            let desk = Self.desk(env, database)
            // 10:00 → 10:30 working, then waiting on the employee until 14:00.
            env.clock.advance(by: 1800)
            try await client.apiJSON(.patch, "/api/v1/tickets/\(number)", token: ana, body: #"{"status":"waiting"}"#)
            env.clock.advance(by: 3.5 * 3600)
            await desk.tick()
            #expect(try await database.history(number: number).filter { $0.kind == .sla }.isEmpty, "paused: no alarm")
            try await client.apiJSON(.patch, "/api/v1/tickets/\(number)", token: ana, body: #"{"status":"open"}"#)
            // 90 business minutes were left: the breach moves to 15:30.
            let due = try #require(try await database.ticket(number: number)?.firstResponseDueAt)
            #expect(due == TestEnvironment.start.addingTimeInterval(5.5 * 3600))
            env.clock.advance(by: 1.6 * 3600)
            await desk.tick()
            let alarms = try await database.history(number: number).filter { $0.kind == .sla }.map { $0.after ?? "" }
            #expect(alarms == ["warning", "breach"])
        }
    }

    @Test("a software request waits for the manager's Approve in their chat; the employee is told; then it is routed")
    func approvalFlowApproved() async throws {
        try await Self.withDeskServer { env, client, database in
            let (emp, mgr) = try await Self.importPeople(database, client)
            let request = try await client.chat(session: emp, text: "포토샵 설치 요청")
            let number = try #require(request.ticket, "\(request.allText)")
            #expect(try await database.ticket(number: number)?.assignee == nil, "held for approval")
            // The employee is told who decides: their manager, by name.
            #expect(request.allText.contains("이팀장"), "\(request.allText)")

            // The manager sees the request with Approve / Reject in their own chat.
            let inbox = try await client.poll(session: mgr)
            let asked = try #require(inbox.replies.first { $0.text.contains(number) })
            #expect(asked.buttons.map(\.action) == ["approve:\(number)", "reject:\(number)"])
            // Someone else's click is refused and changes nothing.
            let stranger = try await client.press(session: emp, action: "approve:\(number)")
            #expect(stranger.allText.contains(number))
            #expect(try await database.approvalWork(ticketID: try #require(try await database.ticket(number: number)?.id))?
                .approval.status == .pending)

            let approved = try await client.press(session: mgr, action: "approve:\(number)")
            #expect(approved.allText.contains("승인") || approved.allText.contains("approved"))
            let twice = try await client.press(session: mgr, action: "approve:\(number)")
            #expect(twice.allText.contains(number))
            let ticket = try #require(try await database.ticket(number: number))
            #expect(ticket.assignee == "ana", "routed once approved")
            let told = try await client.poll(session: emp)
            #expect(told.replies.contains { $0.text.contains(number) })
            let approvals = try await database.history(number: number).filter { $0.kind == .approval }
            #expect(approvals.map(\.after) == ["requested", "approved"])
            #expect(approvals.last?.actor == .employee(try #require(try await database.employee(directoryID: "M1")?.id)))
        }
    }

    @Test("a manager who types 승인 / 却下 / approve instead of pressing decides the one request waiting for them")
    func typedApproval() async throws {
        try await Self.withDeskServer { env, client, database in
            let (emp, mgr) = try await Self.importPeople(database, client)
            // Nothing waits yet: "승인" is an ordinary message and decides nothing.
            let early = try await client.chat(session: mgr, text: "승인")
            #expect(early.ticket == nil)

            let first = try #require(try await client.chat(session: emp, text: "포토샵 설치 요청").ticket)
            _ = try await client.poll(session: mgr)
            let approved = try await client.chat(session: mgr, text: "승인합니다!")
            #expect(approved.allText.contains(first), "\(approved.allText)")
            #expect(try await database.ticket(number: first)?.assignee == "ana", "routed once approved")
            let ticketID = try #require(try await database.ticket(number: first)?.id)
            #expect(try await database.approvalWork(ticketID: ticketID)?.approval.status == .approved)

            // Two waiting: a bare "reject" cannot say which, so it is left to the dialogue; with the number it decides.
            _ = try await client.press(session: emp, action: "bot")
            let second = try #require(try await client.chat(session: emp, text: "엑셀 설치 요청").ticket)
            _ = try await client.press(session: emp, action: "bot")
            let thirdReply = try await client.chat(session: emp, text: "포토샵 설치 요청")
            let third = try #require(thirdReply.ticket, "\(thirdReply.allText)")
            _ = try await client.poll(session: mgr)
            _ = try await client.chat(session: mgr, text: "reject")
            for number in [second, third] {
                let id = try #require(try await database.ticket(number: number)?.id)
                #expect(try await database.approvalWork(ticketID: id)?.approval.status == .pending)
            }
            let rejected = try await client.chat(session: mgr, text: "\(third) 却下")
            #expect(rejected.allText.contains(third))
            #expect(try await database.ticket(number: third)?.status == .closed)
            let messages = try await database.history(number: third).filter { $0.kind == .approval }.map(\.after)
            #expect(messages == ["requested", "rejected"])
        }
    }

    @Test("a rejected request is closed, the employee told, and the chat goes back to the bot; reminders stop at the limit")
    func approvalRejectedAndReminded() async throws {
        try await Self.withDeskServer { env, client, database in
            let (emp, mgr) = try await Self.importPeople(database, client)
            let request = try await client.chat(session: emp, text: "포토샵 설치 요청")
            let number = try #require(request.ticket)
            _ = try await client.poll(session: mgr)
            let desk = Self.desk(env, database)
            env.clock.advance(by: 3601)
            await desk.tick()
            await desk.tick()
            env.clock.advance(by: 3601)
            await desk.tick()
            let reminders = try await client.poll(session: mgr).replies.filter { $0.text.contains(number) }
            #expect(reminders.count == 1, "one reminder, as configured")
            #expect(try await database.history(number: number).filter { $0.after == "reminded" }.count == 1)

            _ = try await client.press(session: mgr, action: "reject:\(number)")
            #expect(try await database.ticket(number: number)?.status == .closed)
            let told = try await client.poll(session: emp)
            #expect(told.replies.contains { $0.text.contains(number) })
            // The conversation is the bot's again: a new question gets an answer, not a ticket append.
            let next = try await client.chat(session: emp, text: "VPN이 안 돼요")
            #expect(next.ticket == nil)
            #expect(!next.articleIDs.isEmpty)
        }
    }

    @Test("an agent decides an approval through the API when the manager cannot be reached")
    func approvalByAgent() async throws {
        try await Self.withDeskServer { env, client, database in
            let ana = try await issueToken(database, name: "ana", role: .agent)
            let request = try await client.chat(session: try await client.newSession(), text: "포토샵 설치 요청")
            let number = try #require(request.ticket)
            let history = try await database.history(number: number)
            #expect(history.contains { $0.kind == .approval && $0.note?.contains("no manager") == true })
            // The agent sees it is held for a decision, in the ticket and in the queue, before starting on it.
            let held = try await client.apiJSON(.get, "/api/v1/tickets/\(number)", token: ana)
            #expect(held[object: "ticket"][string: "approval"] == "pending")
            #expect(held[object: "ticket"][bool: "awaiting_approval"] == true)
            expectError(try await client.api(.post, "/api/v1/tickets/\(number)/approval", token: ana, body: #"{"decision":"maybe"}"#),
                        .unprocessableContent)
            let decided = try await client.apiJSON(.post, "/api/v1/tickets/\(number)/approval", token: ana,
                                                   body: #"{"decision":"approve","note":"licence available"}"#)
            #expect(decided[object: "ticket"][string: "assignee"] != nil)
            #expect(decided[object: "ticket"][string: "approval"] == "approved")
            #expect(decided[object: "ticket"][bool: "awaiting_approval"] == false)
            expectError(try await client.api(.post, "/api/v1/tickets/\(number)/approval", token: ana, body: #"{"decision":"reject"}"#),
                        .conflict)
        }
    }

    @Test("without a manager on record the employee is told an agent decides, in their language",
          arguments: [("포토샵 설치 요청", "IT 담당자가 승인"), ("フォトショップ入れてください", "ITの担当者が判断"),
                      ("can you install photoshop for me", "an IT agent will decide")])
    func approvalWithoutManager(_ text: String, _ expected: String) async throws {
        try await Self.withDeskServer { _, client, database in
            let request = try await client.chat(session: try await client.newSession(), text: text)
            let number = try #require(request.ticket, "\(request.allText)")
            #expect(request.allText.contains(expected), "\(request.allText)")
            #expect(!request.allText.contains("manager,") && !request.allText.contains("팀장님("))
            #expect(try await database.ticket(number: number)?.assignee == nil, "held for approval")
        }
    }

    /// Lee (M1) manages Kim (E1); both use the web chat, each with a session the server issued: (Kim's, Lee's).
    static func importPeople(_ database: AppDatabase, _ client: some TestClientProtocol) async throws -> (String, String) {
        let emp = try await client.newSession(), mgr = try await client.newSession()
        _ = try await database.importDirectory([
            DirectoryEntry(directoryID: "M1", name: "이팀장", email: "lee@example.com", identities: [(.web, WebChatKey.conversationKey(mgr))]),
            DirectoryEntry(directoryID: "E1", name: "김민수", email: "kim@example.com", managerDirectoryID: "M1",
                           identities: [(.web, WebChatKey.conversationKey(emp))]),
        ], at: TestEnvironment.start)
        return (emp, mgr)
    }
}
