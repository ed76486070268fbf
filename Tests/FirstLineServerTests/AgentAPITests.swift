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

// MARK: - Helpers for the agent API tests (this file and PermissionMatrixTests.swift)

/// The bootstrap admin token the agent tests configure (long enough not to warn).
let testAdminToken = "fl_test-bootstrap-admin-0123456789abcdef"

extension TestEnvironment {
    /// Runs `body` against a server whose configuration has the bootstrap admin token.
    static func withAgentServer<T: Sendable>(
        adminToken: String? = testAdminToken, reopenWindowDays: Int = 7,
        _ body: @Sendable (TestEnvironment, any TestClientProtocol, AppDatabase) async throws -> T
    ) async throws -> T {
        try await with { base in
            var env = base
            env.configuration.adminToken = adminToken
            env.configuration.reopenWindowDays = reopenWindowDays
            env.configuration.contentCheckInterval = nil
            let captured = env
            return try await env.withServer { client, database in try await body(captured, client, database) }
        }
    }
}

extension TestClientProtocol {
    /// One call of the JSON API with an optional bearer token.
    func api(_ method: HTTPRequest.Method, _ uri: String, token: String?, body: String? = nil,
             headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// A call that must answer `status`; returns the body as a JSON object.
    @discardableResult
    func apiJSON(_ method: HTTPRequest.Method, _ uri: String, token: String?, body: String? = nil,
                 expect status: HTTPResponse.Status = .ok,
                 sourceLocation: SourceLocation = #_sourceLocation) async throws -> [String: Any] {
        let response = try await api(method, uri, token: token, body: body)
        try #require(response.status == status, "\(method) \(uri): \(String(buffer: response.body).prefix(400))",
                     sourceLocation: sourceLocation)
        return try jsonObject(response.body)
    }
}

func jsonObject(_ buffer: ByteBuffer) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(String(buffer: buffer).utf8)) as? [String: Any])
}

func jsonBody(_ object: [String: Any]) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
}

/// Creates an account straight in the store (as `firstline users add` does) and returns its token.
func issueToken(_ database: AppDatabase, name: String, role: Account.Role, employeeID: Int64? = nil) async throws -> String {
    try await AccountService(accounts: database).create(name: name, role: role, employeeID: employeeID,
                                                        at: TestEnvironment.start).token
}

/// A ticket logged straight in the store for `requesterID` (no conversation), for tests that need many.
func makeTicket(_ database: AppDatabase, requesterID: Int64, subject: String = "Monitor flickers",
                priority: TicketPriority = .p3, at now: Date = TestEnvironment.start,
                firstResponseDue: TimeInterval? = 8 * 3600, resolutionDue: TimeInterval? = 72 * 3600) async throws -> Ticket {
    try await database.createTicket(NewTicket(
        requesterID: requesterID, channel: .phone, subject: subject, category: .hardware, priority: priority,
        firstResponseDueAt: firstResponseDue.map { now.addingTimeInterval($0) },
        resolutionDueAt: resolutionDue.map { now.addingTimeInterval($0) }), at: now)
}

func makeEmployee(_ database: AppDatabase, _ name: String, email: String? = nil) async throws -> Int64 {
    try #require(try await database.findOrCreateEmployee(displayName: name, email: email, at: TestEnvironment.start).id)
}

extension Dictionary where Key == String, Value == Any {
    subscript(object key: String) -> [String: Any] { (self[key] as? [String: Any]) ?? [:] }
    subscript(array key: String) -> [[String: Any]] { (self[key] as? [[String: Any]]) ?? [] }
    subscript(string key: String) -> String? { self[key] as? String }
    subscript(bool key: String) -> Bool? { self[key] as? Bool }
}

// MARK: - The agent's journey

@Suite("agent API: the journey from the employee's chat to the rating")
struct AgentAPITests {
    @Test("escalate in the web chat, list, open, reply, note, re-prioritise, resolve, rate")
    func agentJourney() async throws {
        try await TestEnvironment.withAgentServer { env, client, database in
            let journey = JourneyCase.english
            let session = try await client.newSession()
            let admin = testAdminToken
            let agent = try await client.apiJSON(.post, "/api/v1/users", token: admin,
                                                 body: jsonBody(["name": "ana", "role": "agent"]), expect: .created)
            let agentToken = try #require(agent[string: "token"])
            #expect(agentToken.hasPrefix("fl_"))

            // The employee escalates through the web chat.
            let outcome = try await Journey.escalate(journey, session: session, client: client)
            let number = outcome.ticket
            let conversation = try #require(try await database.conversation(platform: .web, conversationKey: WebChatKey.conversationKey(session)))
            let employee = try await client.apiJSON(
                .post, "/api/v1/users", token: admin,
                body: jsonBody(["name": "web-employee", "role": "employee", "employee_id": conversation.employeeID]),
                expect: .created)
            let employeeToken = try #require(employee[string: "token"])

            // The queue has the ticket, with its SLA standing.
            let list = try await client.apiJSON(.get, "/api/v1/tickets", token: agentToken)
            let listed = try #require(list[array: "tickets"].first { $0[string: "number"] == number })
            #expect(listed[string: "status"] == "new")
            #expect(listed[string: "channel"] == "web")
            #expect(listed[object: "sla"][string: "state"] == "on_track")

            // The ticket opens with the whole transcript: the agent never asks the employee to repeat.
            let detail = try await client.apiJSON(.get, "/api/v1/tickets/\(number)", token: agentToken)
            let transcript = detail[array: "transcript"].compactMap { $0[string: "text"] }.joined(separator: "\n")
            #expect(transcript.contains(journey.question))
            let said = try await database.transcript(session: session).filter { $0.author == .employee }.map(\.text)
            #expect(said.count >= 2 && said.allSatisfy(transcript.contains), "\(said)")
            #expect(detail[array: "history"].first?[string: "kind"] == "created")

            // The reply reaches the employee's chat on the next poll, and counts as the first response.
            env.clock.advance(by: 600)
            let replyText = "Please open tray 2 and remove the torn sheet behind the roller."
            let reply = try await client.apiJSON(.post, "/api/v1/tickets/\(number)/replies", token: agentToken,
                                                 body: jsonBody(["text": replyText]), expect: .created)
            #expect(reply["notified_employee"] as? Bool == true)
            #expect(reply[object: "ticket"][string: "status"] == "open")
            #expect(reply[object: "ticket"][string: "first_responded_at"] != nil)
            #expect(reply[array: "events"].map { $0[string: "kind"] } == ["status", "message"])
            #expect(reply[array: "events"].allSatisfy { $0[string: "actor"] == "agent:ana" })
            let stored = try #require(try await database.ticket(number: number))
            #expect(stored.firstRespondedAt == env.clock.now())
            let relayed = try await client.poll(session: session)
            #expect(relayed.replies.contains { $0.text.contains(replyText) }, "\(relayed.replies.map(\.text))")
            #expect(try await client.poll(session: session).replies.isEmpty, "a reply is delivered once")

            // An internal note is on the ticket for agents, and never reaches the employee.
            let noteText = "Internal: tray 2 roller is worn, order a spare."
            try await client.apiJSON(.post, "/api/v1/tickets/\(number)/notes", token: agentToken,
                                     body: jsonBody(["text": noteText]), expect: .created)
            #expect(try await client.poll(session: session).replies.isEmpty)
            let agentView = try await client.apiJSON(.get, "/api/v1/tickets/\(number)/history", token: agentToken)
            #expect(agentView[array: "history"].contains { $0[string: "note"] == noteText && $0[string: "kind"] == "note" })
            let employeeView = try await client.apiJSON(.get, "/api/v1/tickets/\(number)", token: employeeToken)
            let employeeText = String(describing: employeeView)
            #expect(!employeeText.contains(noteText), "the employee must not see internal notes")
            #expect(employeeView[array: "history"].contains { $0[string: "note"] == replyText })
            let transcriptAfter = try await database.transcript(session: session).map(\.text).joined(separator: "\n")
            #expect(!transcriptAfter.contains(noteText))

            // Re-prioritising writes one history event with before and after, and moves the due times.
            let patched = try await client.apiJSON(.patch, "/api/v1/tickets/\(number)", token: agentToken,
                                                   body: jsonBody(["priority": "P1"]))
            let priorityEvent = try #require(patched[array: "events"].first)
            #expect(patched[array: "events"].count == 1)
            #expect(priorityEvent[string: "kind"] == "priority")
            #expect(priorityEvent[string: "field"] == "priority")
            #expect(priorityEvent[string: "before"] == stored.priority.rawValue)
            #expect(priorityEvent[string: "after"] == "P1")
            #expect(priorityEvent[string: "actor"] == "agent:ana")
            #expect(patched[object: "ticket"][string: "priority"] == "P1")
            #expect(try await database.ticket(number: number)?.resolutionDueAt
                == stored.createdAt.addingTimeInterval(240 * 60))

            // Resolving asks the employee for a 1–5 rating with buttons.
            let resolved = try await client.apiJSON(.post, "/api/v1/tickets/\(number)/resolve", token: agentToken,
                                                    body: jsonBody(["note": "Roller cleaned."]))
            #expect(resolved[object: "ticket"][string: "status"] == "resolved")
            #expect(resolved["notified_employee"] as? Bool == true)
            let rating = try await client.poll(session: session)
            let buttons = rating.replies.flatMap(\.buttons).map(\.action)
            #expect(buttons.contains("rate:1") && buttons.contains("rate:5"), "\(buttons)")
            #expect(ticketNumbers(in: rating.replies.map(\.text).joined()).contains(number))

            // The employee's 5 stars land on the ticket and in its history.
            let thanks = try await client.press(session: session, action: "rate:5")
            #expect(thanks.state == DialoguePhase.closed.rawValue)
            #expect(try await database.ticket(number: number)?.rating == 5)
            let history = try await client.apiJSON(.get, "/api/v1/tickets/\(number)/history", token: employeeToken)
            let ratingEvent = try #require(history[array: "history"].last)
            #expect(ratingEvent[string: "kind"] == "rating")
            #expect(ratingEvent[string: "after"] == "5")
            #expect(ratingEvent[string: "actor"] == "employee:\(conversation.employeeID)")
        }
    }

    @Test("a phone call is logged on behalf of an employee, with the channel and the agent as creator")
    func phoneTicket() async throws {
        try await TestEnvironment.withAgentServer { env, client, database in
            let agent = try await issueToken(database, name: "ben", role: .agent)
            let created = try await client.apiJSON(.post, "/api/v1/tickets", token: agent, body: jsonBody([
                "employee": ["name": "Kim Minji", "email": "minji.kim@example.com"],
                "channel": "phone", "subject": "Monitor flickers after docking",
                "description": "Called at 10:05; second monitor flickers on the dock.", "category": "hardware",
                "priority": "P2",
            ]), expect: .created)
            let ticket = created[object: "ticket"]
            let number = try #require(ticket[string: "number"])
            #expect(ticket[string: "channel"] == "phone")
            #expect(ticket[string: "priority"] == "P2")
            #expect(ticket[string: "status"] == "new")
            #expect(ticket[object: "requester"][string: "name"] == "Kim Minji")
            // P2: first response within 120 minutes of the call (SLA default policy).
            #expect(ticket[string: "first_response_due_at"] == env.clock.now().addingTimeInterval(120 * 60).formatted(.iso8601))

            let history = try await client.apiJSON(.get, "/api/v1/tickets/\(number)/history", token: agent)
            let first = try #require(history[array: "history"].first)
            #expect(first[string: "kind"] == "created")
            #expect(first[string: "actor"] == "agent:ben")
            #expect(first[string: "note"]?.contains("second monitor") == true)

            // The same e-mail on the next call is the same employee.
            let again = try await client.apiJSON(.post, "/api/v1/tickets", token: agent, body: jsonBody([
                "employee": ["name": "Minji Kim", "email": "MINJI.KIM@example.com"], "channel": "visit",
                "subject": "Badge does not open the door", "category": "facilities",
            ]), expect: .created)
            #expect(again[object: "ticket"][object: "requester"]["id"] as? Int == ticket[object: "requester"]["id"] as? Int)
            #expect(again[object: "ticket"][string: "channel"] == "visit")
            #expect(again[object: "ticket"][string: "priority"] == "P3")

            // By id, too; and a reply on a ticket without a chat is recorded but not sent anywhere.
            let requesterID = try #require(ticket[object: "requester"]["id"] as? Int)
            let byID = try await client.apiJSON(.post, "/api/v1/tickets", token: agent, body: jsonBody([
                "employee_id": requesterID, "channel": "email", "subject": "Mailbox full",
                "description": "", "category": "email", "priority": "p4",
            ]), expect: .created)
            let byIDNumber = try #require(byID[object: "ticket"][string: "number"])
            let reply = try await client.apiJSON(.post, "/api/v1/tickets/\(byIDNumber)/replies", token: agent,
                                                 body: jsonBody(["text": "I archived last year's mail."]), expect: .created)
            #expect(reply["notified_employee"] as? Bool == false)
            #expect(reply[object: "ticket"][string: "first_responded_at"] != nil)

            // What a logged ticket must have.
            for (body, field) in [
                (["employee_id": requesterID, "channel": "slack", "subject": "x"] as [String: Any], "channel"),
                (["employee_id": requesterID, "channel": "phone", "subject": "  "], "subject"),
                (["employee_id": requesterID, "channel": "phone", "subject": "x", "priority": "P9"], "priority"),
                (["employee_id": requesterID, "channel": "phone", "subject": "x", "category": "coffee"], "category"),
                (["employee_id": 999_999, "channel": "phone", "subject": "x"], "employee_id"),
                (["channel": "phone", "subject": "x"], "employee"),
                (["employee": ["name": "A", "email": "not-an-address"], "channel": "phone", "subject": "x"], "employee.email"),
            ] {
                let response = try await client.api(.post, "/api/v1/tickets", token: agent, body: jsonBody(body))
                expectError(response, .unprocessableContent, code: "invalid_field")
                #expect(String(buffer: response.body).contains("'\(field)'"), "\(field): \(String(buffer: response.body))")
            }
            #expect(try await RowCounts.of(database)["ticket"] == 3, "refused requests store nothing")
        }
    }

    @Test("PATCH checks every field, writes one event per change, and refuses illegal transitions")
    func patchRules() async throws {
        try await TestEnvironment.withAgentServer { env, client, database in
            let agent = try await issueToken(database, name: "ana", role: .agent)
            _ = try await issueToken(database, name: "Ben", role: .agent)
            _ = try await issueToken(database, name: "eve", role: .editor)
            let requester = try await makeEmployee(database, "Requester")
            let number = try await makeTicket(database, requesterID: requester).number
            let path = "/api/v1/tickets/\(number)"

            for (body, field) in [
                (["priority": "urgent"] as [String: Any], "priority"),
                (["priority": 1], "priority"),
                (["status": "done"], "status"),
                (["category": "coffee"], "category"),
                (["assignee": "nobody"], "assignee"),
                (["assignee": "eve"], "assignee"),
                (["team": 5], "team"),
                (["colour": "red"], "colour"),
                (["priority": "P1", "status": "finished"], "status"),
            ] {
                let response = try await client.api(.patch, path, token: agent, body: jsonBody(body))
                expectError(response, .unprocessableContent, code: "invalid_field")
                #expect(String(buffer: response.body).contains("'\(field)'"), "\(body): \(String(buffer: response.body))")
            }
            #expect(try await database.history(number: number).count == 1, "a refused PATCH changes nothing")
            expectError(try await client.api(.patch, path, token: agent, body: "{}"), .badRequest)
            expectError(try await client.api(.patch, path, token: agent, body: "{\"priority\": "), .badRequest, code: "invalid_json")

            // Several fields: one event each, with before → after and the acting agent.
            let changed = try await client.apiJSON(.patch, path, token: agent, body: jsonBody([
                "priority": "P2", "category": "network", "assignee": "ben", "team": "Service Desk", "status": "waiting",
            ]))
            let events = changed[array: "events"]
            #expect(events.map { $0[string: "field"] } == ["priority", "category", "team", "assignee", "status"])
            #expect(events.map { $0[string: "before"] } == ["P3", "hardware", nil, nil, "new"])
            #expect(events.map { $0[string: "after"] } == ["P2", "network", "Service Desk", "Ben", "waiting"])
            #expect(events.allSatisfy { $0[string: "actor"] == "agent:ana" })
            // Setting what is already set records nothing.
            let same = try await client.apiJSON(.patch, path, token: agent, body: jsonBody(["priority": "P2"]))
            #expect(same[array: "events"].isEmpty)
            // Unassigning is a change too.
            let unassigned = try await client.apiJSON(.patch, path, token: agent, body: #"{"assignee": null}"#)
            #expect(unassigned[array: "events"].first?[string: "before"] == "Ben")
            #expect(unassigned[object: "ticket"]["assignee"] is NSNull)

            // Lifecycle: closed is final; new is only ever the start.
            expectError(try await client.api(.patch, path, token: agent, body: jsonBody(["status": "new"])), .conflict,
                        code: "invalid_transition")
            try await client.apiJSON(.patch, path, token: agent, body: jsonBody(["status": "closed"]))
            expectError(try await client.api(.patch, path, token: agent, body: jsonBody(["status": "open"])), .conflict,
                        code: "invalid_transition")
            expectError(try await client.api(.post, "\(path)/resolve", token: agent), .conflict, code: "invalid_transition")
            expectError(try await client.api(.post, "\(path)/replies", token: agent, body: jsonBody(["text": "hello"])),
                        .conflict)
            _ = env
        }
    }

    @Test("a resolved ticket can be reopened within the window and not after it")
    func reopenWindow() async throws {
        try await TestEnvironment.withAgentServer(reopenWindowDays: 3) { env, client, database in
            let agent = try await issueToken(database, name: "ana", role: .agent)
            let requester = try await makeEmployee(database, "Requester")
            let early = try await makeTicket(database, requesterID: requester).number
            let late = try await makeTicket(database, requesterID: requester).number
            try await client.apiJSON(.post, "/api/v1/tickets/\(early)/resolve", token: agent)
            try await client.apiJSON(.post, "/api/v1/tickets/\(late)/resolve", token: agent)
            expectError(try await client.api(.post, "/api/v1/tickets/\(early)/resolve", token: agent), .conflict,
                        code: "invalid_transition")

            env.clock.advance(by: 2 * 86_400)
            let reopened = try await client.apiJSON(.patch, "/api/v1/tickets/\(early)", token: agent,
                                                    body: jsonBody(["status": "open"]))
            #expect(reopened[object: "ticket"][string: "status"] == "open")
            #expect(reopened[object: "ticket"]["resolved_at"] is NSNull)

            env.clock.advance(by: 2 * 86_400)
            let refused = try await client.api(.patch, "/api/v1/tickets/\(late)", token: agent, body: jsonBody(["status": "open"]))
            expectError(refused, .conflict, code: "reopen_window_passed")
            #expect(String(buffer: refused.body).contains("3 days"))
            #expect(try await database.ticket(number: late)?.status == .resolved)
        }
    }

    @Test("the employee's Reopen button is refused after the window, and the ticket stays resolved")
    func employeeReopenAfterWindow() async throws {
        try await TestEnvironment.withAgentServer(reopenWindowDays: 7) { env, client, database in
            let agent = try await issueToken(database, name: "ana", role: .agent)
            let session = try await client.newSession()
            let number = try await Journey.escalate(.english, session: session, client: client).ticket
            try await client.apiJSON(.post, "/api/v1/tickets/\(number)/resolve", token: agent)
            #expect(try await client.poll(session: session).replies.flatMap(\.buttons).contains { $0.action == "reopen" })

            env.clock.advance(by: 8 * 86_400)
            let answer = try await client.press(session: session, action: "reopen")
            #expect(answer.allText.contains("can no longer be reopened"), "\(answer.allText)")
            #expect(answer.ticket == nil)
            #expect(try await database.ticket(number: number)?.status == .resolved)
        }
    }

    @Test("after rating, the employee reopens within the window by the Reopen button or by saying it is still broken",
          arguments: zip(JourneyCase.all, ["아직도 안 돼요", "まだ直っていません", "it is still broken"]))
    func reopenAfterRating(_ journey: JourneyCase, _ stillBroken: String) async throws {
        try await TestEnvironment.withAgentServer { env, client, database in
            let agent = try await issueToken(database, name: "ana", role: .agent)
            for (index, byText) in [false, true].enumerated() {
                let session = try await client.newSession()
                let number = try await Journey.escalate(journey, session: session, client: client).ticket
                try await client.apiJSON(.post, "/api/v1/tickets/\(number)/resolve", token: agent)
                _ = try await client.poll(session: session)
                let thanks = try await client.press(session: session, action: "rate:4")
                #expect(thanks.state == DialoguePhase.closed.rawValue)
                env.clock.advance(by: 86_400)
                let answer = byText ? try await client.chat(session: session, text: stillBroken)
                    : try await client.press(session: session, action: "reopen")
                #expect(answer.state == DialoguePhase.ticketOpen.rawValue, "\(answer.allText)")
                #expect(answer.ticket == number)
                #expect(journey.script.isUsed(in: answer.allText), "\(answer.allText)")
                let ticket = try #require(try await database.ticket(number: number))
                #expect(ticket.status == .open && ticket.rating == 4)
            }
        }
    }

    @Test("within the window the employee's Reopen button reopens the ticket")
    func employeeReopenWithinWindow() async throws {
        try await TestEnvironment.withAgentServer { env, client, database in
            let agent = try await issueToken(database, name: "ana", role: .agent)
            let session = try await client.newSession()
            let number = try await Journey.escalate(.english, session: session, client: client).ticket
            try await client.apiJSON(.post, "/api/v1/tickets/\(number)/resolve", token: agent)
            env.clock.advance(by: 86_400)
            let answer = try await client.press(session: session, action: "reopen")
            #expect(answer.ticket == number)
            #expect(try await database.ticket(number: number)?.status == .open)
        }
    }

    @Test("the queue is sorted by SLA risk and filters by SLA standing, status, team, assignee and requester")
    func queue() async throws {
        try await TestEnvironment.withAgentServer { env, client, database in
            let agent = try await issueToken(database, name: "ana", role: .agent)
            let kim = try await makeEmployee(database, "Kim")
            let lee = try await makeEmployee(database, "Lee")
            let start = TestEnvironment.start
            // Due in 10 h (on track), half an hour of a 5 h window left (at risk), and 1 h ago (breached).
            let onTrack = try await makeTicket(database, requesterID: kim, subject: "on track", firstResponseDue: 10 * 3600)
            let atRisk = try await makeTicket(database, requesterID: lee, subject: "at risk", at: start.addingTimeInterval(-4.5 * 3600),
                                              firstResponseDue: 5 * 3600)
            let breached = try await makeTicket(database, requesterID: kim, subject: "breached", at: start.addingTimeInterval(-3 * 3600),
                                                firstResponseDue: 2 * 3600)
            let noDue = try await makeTicket(database, requesterID: lee, subject: "no due", firstResponseDue: nil, resolutionDue: nil)
            let done = try await makeTicket(database, requesterID: kim, subject: "done", firstResponseDue: 60)
            _ = try await database.changeStatus(number: done.number, to: .resolved, actor: .agent("ana"), at: start)
            _ = try await database.changeTeam(number: atRisk.number, to: "network", actor: .agent("ana"), at: start)
            _ = try await database.changeAssignee(number: breached.number, to: "ana", actor: .agent("ana"), at: start)

            func numbers(_ query: String) async throws -> [String] {
                let list = try await client.apiJSON(.get, "/api/v1/tickets\(query)", token: agent)
                return list[array: "tickets"].compactMap { $0[string: "number"] }
            }
            #expect(try await numbers("") == [breached, atRisk, onTrack, noDue, done].map(\.number))
            #expect(try await numbers("?sla=breached") == [breached.number])
            #expect(try await numbers("?sla=at_risk") == [atRisk.number])
            #expect(try await numbers("?status=resolved") == [done.number])
            #expect(try await numbers("?status=new,open") == [breached, atRisk, onTrack, noDue].map(\.number))
            #expect(try await numbers("?team=network") == [atRisk.number])
            #expect(try await numbers("?assignee=ana") == [breached.number])
            #expect(try await numbers("?requester=\(lee)") == [atRisk, noDue].map(\.number))
            #expect(try await numbers("?limit=2") == [breached, atRisk].map(\.number))

            let list = try await client.apiJSON(.get, "/api/v1/tickets", token: agent)
            let standings = list[array: "tickets"].map { $0[object: "sla"][string: "state"] ?? "-" }
            #expect(standings == ["breached", "at_risk", "on_track", "none", "none"])

            // A reply answers the first-response target; the resolution target is next.
            try await client.apiJSON(.post, "/api/v1/tickets/\(breached.number)/replies", token: agent,
                                     body: jsonBody(["text": "Looking into it."]), expect: .created)
            #expect(try await numbers("?sla=breached").isEmpty)

            // Time passes: the on-track ticket becomes at risk, then breached.
            env.clock.advance(by: 8.5 * 3600)
            #expect(try await numbers("?sla=at_risk").contains(onTrack.number))
            env.clock.advance(by: 2 * 3600)
            #expect(try await numbers("?sla=breached").contains(onTrack.number))

            for query in ["?sla=soon", "?status=pending", "?limit=0", "?limit=x", "?requester=kim"] {
                expectError(try await client.api(.get, "/api/v1/tickets\(query)", token: agent), .unprocessableContent,
                            code: "invalid_field")
            }
        }
    }

    @Test("the console page is served without any token, with a strict content policy, and drives the ticket API")
    func consolePage() async throws {
        try await TestEnvironment.withAgentServer { _, client, _ in
            let response = try await client.execute(uri: "/console", method: .get)
            #expect(response.status == .ok)
            #expect(response.headers[.contentType] == "text/html; charset=utf-8")
            let policy = try #require(response.headers[HTTPField.Name("Content-Security-Policy")!])
            #expect(policy.contains("default-src 'none'") && policy.contains("frame-ancestors 'none'"))
            #expect(!policy.contains("unsafe-inline"), "no inline script or style: \(policy)")
            let html = String(buffer: response.body)
            #expect(html.contains(#"<script src="/console/console.js"></script>"#))
            #expect(!html.contains("<style"), "the style sheet is a served file")
            // The script is a served file of its own, with the same headers.
            let script = try await client.execute(uri: "/console/console.js", method: .get)
            #expect(script.status == .ok && script.headers[.contentType]?.hasPrefix("text/javascript") == true)
            #expect(script.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(try await client.execute(uri: "/console/console.css", method: .get).status == .ok)
            let page = String(buffer: script.body)
            for route in ["/api/v1/me", "/api/v1/tickets", "/api/v1/agents/me/presence", "/claim", "/replies", "/notes",
                          "/resolve", "/approval"] {
                #expect(page.contains(route), "\(route)")
            }
            #expect(!page.contains("innerHTML"), "ticket text is inserted as text only")
        }
    }

    @Test("unknown tickets are 404, bad JSON 400, oversized bodies 413, empty text 422")
    func badRequests() async throws {
        try await TestEnvironment.withAgentServer { _, client, database in
            let agent = try await issueToken(database, name: "ana", role: .agent)
            let number = try await makeTicket(database, requesterID: try await makeEmployee(database, "R")).number
            for uri in ["/api/v1/tickets/HD-999999", "/api/v1/tickets/HD-999999/history", "/api/v1/tickets/nonsense"] {
                expectError(try await client.api(.get, uri, token: agent), .notFound, code: "not_found")
            }
            expectError(try await client.api(.post, "/api/v1/tickets/HD-999999/replies", token: agent,
                                             body: jsonBody(["text": "hi"])), .notFound)
            expectError(try await client.api(.post, "/api/v1/tickets/HD-999999/resolve", token: agent), .notFound)
            expectError(try await client.api(.post, "/api/v1/tickets/\(number)/replies", token: agent, body: "not json"),
                        .badRequest, code: "invalid_json")
            expectError(try await client.api(.post, "/api/v1/tickets/\(number)/replies", token: agent, body: "{}"),
                        .badRequest, code: "invalid_request")
            expectError(try await client.api(.post, "/api/v1/tickets/\(number)/notes", token: agent,
                                             body: jsonBody(["text": "   "])), .unprocessableContent, code: "invalid_field")
            expectError(try await client.api(.post, "/api/v1/tickets/\(number)/notes", token: agent,
                                             body: jsonBody(["text": String(repeating: "a", count: 4001)])),
                        .unprocessableContent, code: "invalid_field")
            let huge = jsonBody(["text": String(repeating: "a", count: 40 * 1024)])
            expectError(try await client.api(.post, "/api/v1/tickets/\(number)/replies", token: agent, body: huge),
                        .contentTooLarge, code: "body_too_large")
            expectError(try await client.api(.post, "/api/v1/users", token: testAdminToken, body: "[1, 2]"), .badRequest)
            #expect(try await database.history(number: number).count == 1)
        }
    }
}
