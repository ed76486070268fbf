import FirstLineCore
import FirstLineServer
import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import FirstLineStore

/// The agents' part of the console (issue: console, points 2 and 5): the ticket page's controls and SLA
/// countdowns, the phone / visit intake with the directory search, live refresh's stamps and fragments,
/// and the report tables as CSV, through the real server.
@Suite("console: agents' controls, intake, live refresh, CSV")
struct ConsoleAgentsTests {
    typealias Browser = ConsolePagesTests.Browser

    /// The value of the `name` field in the ticket page's change form.
    static func stamp(in page: String) -> String? { Browser.field("stamp", in: page) }

    @Test("the ticket controls change each field as the API does, with history; refusals change nothing")
    func controls() async throws {
        try await TestEnvironment.withAgentServer { env, client, database in
            let token = try await issueToken(database, name: "ana", role: .agent)
            _ = try await issueToken(database, name: "bo", role: .agent)
            let requester = try await makeEmployee(database, "Kim")
            let ticket = try await makeTicket(database, requesterID: requester)
            var browser = Browser(client: client)
            _ = try await browser.signIn(token)

            let page = String(buffer: try await browser.request(.get, "/console/tickets/\(ticket.number)").body)
            // SLA countdowns in the viewer's zone (Seoul: the ticket opened 10:00, first answer due 18:00).
            #expect(page.contains("First response due") && page.contains("in 8h 0m") && page.contains("2025-03-04 18:00"))
            #expect(page.contains("Resolution due") && page.contains("2025-03-07 10:00"))
            // Only the values the API would take: new → open/waiting/resolved/closed, never back to itself-less lists.
            #expect(page.contains(#"<option value="waiting">"#) && page.contains(#"<option value="bo">"#))
            #expect(page.contains(#"<option value="service-desk">"#))
            // Categories read as words in the viewer's language, the value stays the API's.
            #expect(page.contains(#"<option value="hardware" selected>Hardware</option>"#) && page.contains("<dd>Hardware</dd>"))
            let csrf = try #require(Browser.field("csrf", in: page))
            let stamp = try #require(Self.stamp(in: page))
            let current = ["csrf": csrf, "stamp": stamp, "status": "new", "priority": "P3", "category": "hardware",
                           "team": ticket.team ?? "", "assignee": ticket.assignee ?? ""]

            // Saving the untouched form writes nothing.
            let before = try await database.history(number: ticket.number).count
            let same = try await browser.request(.post, "/console/tickets/\(ticket.number)/change", form: current)
            #expect(same.headers[.location] == "/console/tickets/\(ticket.number)?done=unchanged")
            #expect(try await database.history(number: ticket.number).count == before)

            // Four fields at once: one event each, by the agent, before → after, as a PATCH records them.
            var form = current
            form["status"] = "open"
            form["priority"] = "P2"
            form["team"] = "service-desk"
            form["assignee"] = "bo"
            let saved = try await browser.request(.post, "/console/tickets/\(ticket.number)/change", form: form)
            #expect(saved.headers[.location] == "/console/tickets/\(ticket.number)?done=changed")
            let changed = try #require(try await database.ticket(number: ticket.number))
            #expect(changed.status == .open && changed.priority == .p2 && changed.team == "service-desk" && changed.assignee == "bo")
            let events = try await database.history(number: ticket.number).dropFirst(before)
            #expect(events.allSatisfy { $0.actor == .agent("ana") })
            #expect(events.contains { $0.kind == .status && $0.before == "new" && $0.after == "open" })
            #expect(events.contains { $0.kind == .priority && $0.before == "P3" && $0.after == "P2" })
            #expect(events.contains { $0.kind == .assignee && $0.after == "bo" })
            let shown = String(buffer: try await browser.request(.get, "/console/tickets/\(ticket.number)?done=changed").body)
            #expect(shown.contains("Changes saved.") && shown.contains("P3 → P2") && shown.contains("new → open"))

            // The same old form again: the ticket changed meanwhile, so it is refused and nothing changes.
            var stale = current
            stale["priority"] = "P1"
            let refusedStale = try await browser.request(.post, "/console/tickets/\(ticket.number)/change", form: stale)
            #expect(refusedStale.status == .conflict)
            #expect(String(buffer: refusedStale.body).contains("Someone changed this ticket meanwhile"))
            #expect(try await database.ticket(number: ticket.number)?.priority == .p2)

            // A note (or a reply) arriving meanwhile does not make the form stale: only a field change does.
            let beforeNote = try #require(Self.stamp(in: String(buffer: try await browser.request(.get, "/console/tickets/\(ticket.number)").body)))
            _ = try await database.addNote(number: ticket.number, text: "called back", actor: .agent("bo"), at: TestEnvironment.start)
            var afterNote = ["csrf": csrf, "stamp": beforeNote, "status": "open", "priority": "P1", "category": "hardware",
                             "team": "service-desk", "assignee": "bo"]
            #expect(try await browser.request(.post, "/console/tickets/\(ticket.number)/change", form: afterNote).status == .seeOther)
            #expect(try await database.ticket(number: ticket.number)?.priority == .p1)
            afterNote["priority"] = "P2"
            afterNote["stamp"] = try #require(Self.stamp(in: String(buffer: try await browser.request(.get, "/console/tickets/\(ticket.number)").body)))
            #expect(try await browser.request(.post, "/console/tickets/\(ticket.number)/change", form: afterNote).status == .seeOther)
            #expect(try await database.ticket(number: ticket.number)?.priority == .p2)

            // A value the API does not take, an assignee who cannot work tickets, a transition the lifecycle forbids.
            let fresh = try #require(Self.stamp(in: String(buffer: try await browser.request(.get, "/console/tickets/\(ticket.number)").body)))
            let base = ["csrf": csrf, "stamp": fresh, "status": "open", "priority": "P2", "category": "hardware",
                        "team": "service-desk", "assignee": "bo"]
            let unchangedCount = try await database.history(number: ticket.number).count
            for (field, value, status, words) in [("priority", "P9", HTTPResponse.Status.unprocessableContent, "That priority is not allowed"),
                                                  ("category", "<b>cats</b>", .unprocessableContent, "That category is not allowed"),
                                                  ("assignee", "nobody", .unprocessableContent, "That assignee is not allowed"),
                                                  ("status", "new", .conflict, "cannot go from open to new")] {
                var bad = base
                bad[field] = value
                let refused = try await browser.request(.post, "/console/tickets/\(ticket.number)/change", form: bad)
                #expect(refused.status == status, "\(field)=\(value)")
                let body = String(buffer: refused.body)
                #expect(body.contains(words), "\(field): \(body)")
                #expect(!body.contains("<b>cats"))
            }
            #expect(try await database.history(number: ticket.number).count == unchangedCount, "nothing written")
            // In Korean, the refusal is Korean.
            var bad = base
            bad["priority"] = "P9"
            let korean = try await browser.request(.post, "/console/tickets/\(ticket.number)/change?lang=ko", form: bad)
            #expect(String(buffer: korean.body).contains("아무것도 바꾸지 않았어요"))

            // Without the form's token, and for an editor: refused.
            var forged = base
            forged["csrf"] = nil
            forged["priority"] = "P1"
            #expect(try await browser.request(.post, "/console/tickets/\(ticket.number)/change", form: forged).status == .forbidden)
            let editorToken = try await issueToken(database, name: "ed", role: .editor)
            var editor = Browser(client: client)
            _ = try await editor.signIn(editorToken)
            let editorPage = String(buffer: try await editor.request(.get, "/console/gaps").body)
            let editorCSRF = try #require(Browser.field("csrf", in: editorPage))
            var byEditor = base
            byEditor["csrf"] = editorCSRF
            byEditor["priority"] = "P1"
            #expect(try await editor.request(.post, "/console/tickets/\(ticket.number)/change", form: byEditor).status == .forbidden)
            #expect(try await database.ticket(number: ticket.number)?.priority == .p2)

            // Waiting for the employee: the clock is shown paused. Later, past the due time: overdue.
            var waiting = base
            waiting["status"] = "waiting"
            _ = try await browser.request(.post, "/console/tickets/\(ticket.number)/change", form: waiting)
            let paused = String(buffer: try await browser.request(.get, "/console/tickets/\(ticket.number)").body)
            #expect(paused.contains("Paused") && paused.contains("Stopped while waiting"))
            let other = try await makeTicket(database, requesterID: requester, subject: "Keyboard")
            env.clock.advance(by: 10 * 3600)
            let overdue = String(buffer: try await browser.request(.get, "/console/tickets/\(other.number)?lang=ja").body)
            #expect(overdue.contains("2時間0分 超過"), "\(overdue)")
        }
    }

    @Test("the queue filters by category and channel, in the store's query, with the API's same filters")
    func queueFilters() async throws {
        try await TestEnvironment.withAgentServer { _, client, database in
            let token = try await issueToken(database, name: "ana", role: .agent)
            let requester = try await makeEmployee(database, "Kim")
            let vpn = try await database.createTicket(NewTicket(
                requesterID: requester, channel: .phone, subject: "VPN drops every hour", category: .network, priority: .p2),
                at: TestEnvironment.start)
            let laptop = try await database.createTicket(NewTicket(
                requesterID: requester, channel: .visit, subject: "Laptop hinge cracked", category: .hardware, priority: .p3),
                at: TestEnvironment.start)
            var browser = Browser(client: client)
            _ = try await browser.signIn(token)

            let all = String(buffer: try await browser.request(.get, "/console/queue?lang=ko").body)
            #expect(all.contains(vpn.number) && all.contains(laptop.number))
            #expect(all.contains(#"<option value="network">네트워크</option>"#), "categories are offered in the viewer's language")
            let network = String(buffer: try await browser.request(.get, "/console/queue?category=network").body)
            #expect(network.contains(vpn.number) && !network.contains(laptop.number))
            #expect(network.contains(#"<option value="network" selected>"#), "the chosen filter stays chosen")
            #expect(network.contains("<td>네트워크</td>"), "the category in the remembered language")
            let visits = String(buffer: try await browser.request(.get, "/console/queue?channel=visit").body)
            #expect(visits.contains(laptop.number) && !visits.contains(vpn.number))
            let none = String(buffer: try await browser.request(.get, "/console/queue?category=network&channel=visit").body)
            #expect(!none.contains(vpn.number) && !none.contains(laptop.number))
            // An unknown value filters nothing in the page (a hand-edited link) but is refused by the API.
            let unknown = String(buffer: try await browser.request(.get, "/console/queue?category=plumbing").body)
            #expect(unknown.contains(vpn.number) && unknown.contains(laptop.number))
            let auth: HTTPFields = [.authorization: "Bearer \(token)"]
            let listed = try await client.execute(uri: "/api/v1/tickets?category=hardware", method: .get, headers: auth)
            #expect(listed.status == .ok)
            let numbers = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: listed.body).utf8)) as? [String: Any])[array: "tickets"]
                .compactMap { $0["number"] as? String }
            #expect(numbers == [laptop.number])
            #expect(try await client.execute(uri: "/api/v1/tickets?category=plumbing", method: .get, headers: auth).status == .unprocessableContent)
            #expect(try await client.execute(uri: "/api/v1/tickets?channel=phone", method: .get, headers: auth).status == .ok)
        }
    }

    @Test("a ticket waiting for a manager's approval says so on its page")
    func approvalState() async throws {
        try await TestEnvironment.withAgentServer { _, client, database in
            let token = try await issueToken(database, name: "ana", role: .agent)
            let requester = try await makeEmployee(database, "Kim")
            let ticket = try await database.createTicket(NewTicket(
                requesterID: requester, channel: .phone, subject: "New laptop", category: .hardware, priority: .p3,
                needsApproval: true), at: TestEnvironment.start)
            var browser = Browser(client: client)
            _ = try await browser.signIn(token)
            let page = String(buffer: try await browser.request(.get, "/console/tickets/\(ticket.number)").body)
            #expect(page.contains("Waiting for the manager&#39;s approval") || page.contains("Waiting for the manager's approval"), "\(page)")
            #expect(page.contains("Stopped while waiting"), "the SLA clock stands still during the approval")

            // The manager cannot be reached: the agent approves from the page, with a reason, once.
            let csrf = try #require(Browser.field("csrf", in: page))
            #expect(page.contains("/console/tickets/\(ticket.number)/approve") && page.contains("/console/tickets/\(ticket.number)/reject"))
            #expect(try await browser.request(.post, "/console/tickets/\(ticket.number)/approve", form: ["text": "forged"]).status == .forbidden)
            let approved = try await browser.request(.post, "/console/tickets/\(ticket.number)/approve",
                                                     form: ["csrf": csrf, "text": "Manager away; budget confirmed"])
            #expect(approved.headers[.location] == "/console/tickets/\(ticket.number)?done=approve")
            let ticketID = try #require(ticket.id)
            #expect(try await database.approvalStatuses(ticketIDs: [ticketID])[ticketID] == .approved)
            let after = String(buffer: try await browser.request(.get, "/console/tickets/\(ticket.number)?done=approve").body)
            #expect(after.contains("Approved; the employee has been told."))
            #expect(!after.contains("/console/tickets/\(ticket.number)/approve"), "no decision buttons once decided")
            // A second decision (a stale page) changes nothing and says so.
            let again = try await browser.request(.post, "/console/tickets/\(ticket.number)/reject", form: ["csrf": csrf])
            #expect(again.headers[.location] == "/console/tickets/\(ticket.number)?done=alreadyDecided")
            #expect(try await database.approvalStatuses(ticketIDs: [ticketID])[ticketID] == .approved)
        }
    }

    @Test("intake: the directory is searched, a call and a walk-in become phone and visit tickets, counted in the reports")
    func intake() async throws {
        try await TestEnvironment.withAgentServer { _, client, database in
            let token = try await issueToken(database, name: "ana", role: .agent)
            var kim = try await database.findOrCreateEmployee(displayName: "김민지", email: "minji@example.com", at: TestEnvironment.start)
            kim.department = "재무팀"
            kim = try await database.updateEmployee(kim)
            _ = try await database.findOrCreateEmployee(displayName: "<img src=x onerror=alert(1)>", email: "x@example.com",
                                                        at: TestEnvironment.start)
            var browser = Browser(client: client)
            _ = try await browser.signIn(token)
            let queue = String(buffer: try await browser.request(.get, "/console/queue").body)
            #expect(queue.contains(#"href="/console/intake""#), "the agents' menu has the intake")

            let search = String(buffer: try await browser.request(.get, "/console/intake?q=%EC%9E%AC%EB%AC%B4").body) // 재무
            #expect(search.contains("김민지") && search.contains("minji@example.com"))
            #expect(search.contains("/console/intake?employee=\(kim.id!)"))
            let hostile = String(buffer: try await browser.request(.get, "/console/intake?q=example").body)
            #expect(!hostile.contains("<img src=x") && hostile.contains("&lt;img src=x"))
            let none = String(buffer: try await browser.request(.get, "/console/intake?q=zzzz").body)
            #expect(none.contains("Nobody found"))

            let chosen = String(buffer: try await browser.request(.get, "/console/intake?employee=\(kim.id!)").body)
            #expect(chosen.contains(#"name="employee_id" value="\#(kim.id!)""#))
            let csrf = try #require(Browser.field("csrf", in: chosen))
            let logged = try await browser.request(.post, "/console/intake", form: [
                "csrf": csrf, "employee_id": String(kim.id!), "channel": "phone", "subject": "모니터가 깜빡여요",
                "description": "전화로 접수", "category": "hardware", "priority": "P2",
            ])
            #expect(logged.status == .seeOther)
            let location = try #require(logged.headers[.location])
            let number = try #require(ticketNumbers(in: location).first)
            let phone = try #require(try await database.ticket(number: number))
            #expect(phone.channel == .phone && phone.requesterID == kim.id && phone.priority == .p2 && phone.category == .hardware)
            #expect(try await database.history(number: number).first?.actor == .agent("ana"))
            #expect(String(buffer: try await browser.request(.get, location).body).contains("Ticket logged."))

            // "walk-in" is a visit; someone not in the directory by name and e-mail.
            let walkIn = try await browser.request(.post, "/console/intake", form: [
                "csrf": csrf, "name": "Bo Visitor", "email": "bo@example.com", "channel": "walk-in", "subject": "Badge does not open the door",
                "category": "facilities", "priority": "P3",
            ])
            let visitNumber = try #require(ticketNumbers(in: walkIn.headers[.location] ?? "").first)
            #expect(try await database.ticket(number: visitNumber)?.channel == .visit)
            // The API takes the word too.
            let api = try await client.api(.post, "/api/v1/tickets", token: token,
                                           body: #"{"employee_id": \#(kim.id!), "channel": "walk-in", "subject": "Chair"}"#)
            #expect(api.status == .created)

            // Refused: no subject, an unknown channel, nobody chosen; the form comes back with what was typed.
            let count = try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ticket") }
            let empty = try await browser.request(.post, "/console/intake", form: [
                "csrf": csrf, "employee_id": String(kim.id!), "channel": "phone", "subject": "  ", "description": "kept text",
            ])
            #expect(empty.status == .unprocessableContent)
            #expect(String(buffer: empty.body).contains("That subject is not allowed") && String(buffer: empty.body).contains("kept text"))
            let chat = try await browser.request(.post, "/console/intake", form: [
                "csrf": csrf, "employee_id": String(kim.id!), "channel": "slack", "subject": "x",
            ])
            #expect(chat.status == .unprocessableContent)
            let nobody = try await browser.request(.post, "/console/intake", form: ["csrf": csrf, "channel": "phone", "subject": "x"])
            #expect(nobody.status == .unprocessableContent && String(buffer: nobody.body).contains("Choose an employee"))
            let ghost = try await browser.request(.post, "/console/intake", form: [
                "csrf": csrf, "employee_id": "99999", "channel": "phone", "subject": "x",
            ])
            #expect(ghost.status == .unprocessableContent)
            #expect(try await browser.request(.post, "/console/intake", form: ["employee_id": String(kim.id!), "channel": "phone",
                                                                             "subject": "forged"]).status == .forbidden)
            #expect(try await database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM ticket") } == count)

            // The reports' intake breakdown counts them (the test clock's day).
            let csv = try await client.api(.get, "/api/v1/reports.csv?from=2025-03-04&to=2025-03-04&table=intake", token: token)
            #expect(csv.status == .ok)
            let text = String(buffer: csv.body)
            #expect(text.hasPrefix("intake,tickets\r\n"))
            #expect(text.contains("phone,1\r\n") && text.contains("visit,2\r\n"), "\(text)")
        }
    }

    @Test("live refresh: stamps and fragments need a session, and move when a ticket changes")
    func liveRefresh() async throws {
        try await TestEnvironment.withAgentServer { _, client, database in
            let token = try await issueToken(database, name: "ana", role: .agent)
            let requester = try await makeEmployee(database, "Kim")
            let ticket = try await makeTicket(database, requesterID: requester)
            var browser = Browser(client: client)

            // Without a session: 401 (not a redirect a script would follow into a login form).
            for path in ["/console/queue/version", "/console/queue/live", "/console/tickets/\(ticket.number)/version",
                         "/console/tickets/\(ticket.number)/live"] {
                #expect(try await browser.request(.get, path).status == .unauthorized, "\(path)")
            }
            let editorToken = try await issueToken(database, name: "ed", role: .editor)
            var editor = Browser(client: client)
            _ = try await editor.signIn(editorToken)
            #expect(try await editor.request(.get, "/console/queue/version").status == .forbidden)

            _ = try await browser.signIn(token)
            let script = try await browser.request(.get, "/console/assets/live.js")
            #expect(script.headers[.contentType]?.hasPrefix("text/javascript") == true)
            #expect(String(buffer: script.body).contains("data-stamp-url"))
            let page = try await browser.request(.get, "/console/tickets/\(ticket.number)")
            #expect(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(String(buffer: page.body).contains(#"<script src="/console/assets/live.js"></script>"#))
            #expect(!String(buffer: page.body).contains("<script>"), "no inline script")

            func stamp(_ path: String) async throws -> String {
                let answer = try await browser.request(.get, path)
                #expect(answer.status == .ok)
                #expect(answer.headers[.contentType]?.hasPrefix("application/json") == true)
                let object = try JSONSerialization.jsonObject(with: Data(String(buffer: answer.body).utf8)) as? [String: String]
                return try #require(object?["stamp"])
            }
            let queueBefore = try await stamp("/console/queue/version")
            let ticketBefore = try await stamp("/console/tickets/\(ticket.number)/version")
            #expect(try await stamp("/console/queue/version") == queueBefore, "nothing changed, same stamp")
            #expect(String(buffer: page.body).contains(#"data-stamp="\#(ticketBefore)""#), "the page carries its stamp")

            let csrf = try #require(Browser.field("csrf", in: String(buffer: page.body)))
            _ = try await browser.request(.post, "/console/tickets/\(ticket.number)/note", form: ["csrf": csrf, "text": "called <Kim> back"])
            #expect(try await stamp("/console/queue/version") != queueBefore)
            let ticketAfter = try await stamp("/console/tickets/\(ticket.number)/version")
            #expect(ticketAfter != ticketBefore)

            let fragment = String(buffer: try await browser.request(.get, "/console/tickets/\(ticket.number)/live").body)
            #expect(fragment.contains(#"id="ticket-facts""#) && fragment.contains(#"id="ticket-record""#))
            #expect(fragment.contains("called &lt;Kim&gt; back") && !fragment.contains("<Kim>"))
            #expect(fragment.contains(#"data-stamp="\#(ticketAfter)""#))
            #expect(!fragment.contains("<html"), "a fragment, not a page")

            let other = try await makeTicket(database, requesterID: requester, subject: "Second screen")
            let queueFragment = String(buffer: try await browser.request(.get, "/console/queue/live?status=new").body)
            #expect(queueFragment.contains(#"id="queue-live""#) && queueFragment.contains(other.number))
            #expect(try await stamp("/console/tickets/\(ticket.number)/version") == ticketAfter, "another ticket's change")
            #expect(try await browser.request(.get, "/console/tickets/HD-999999/version").status == .notFound)
        }
    }

    @Test("report tables as CSV: every name, formula-safe cells, a bad name listed, links on the reports page")
    func reportCSV() async throws {
        try await TestEnvironment.withAgentServer { _, client, database in
            let token = try await issueToken(database, name: "ana", role: .agent)
            let requester = try await makeEmployee(database, "Kim")
            _ = try await makeTicket(database, requesterID: requester, subject: "=HYPERLINK(\"http://x\")")
            let range = "from=2025-03-04&to=2025-03-04"
            for name in ReportCSV.tableNames {
                let answer = try await client.api(.get, "/api/v1/reports.csv?\(range)&table=\(name)", token: token)
                #expect(answer.status == .ok, "\(name)")
                #expect(answer.headers[.contentType] == "text/csv; charset=utf-8")
                #expect(answer.headers[.contentDisposition]?.contains("report-\(name)-2025-03-04-2025-03-04.csv") == true)
                #expect(String(buffer: answer.body).hasSuffix("\r\n"))
            }
            let summary = String(buffer: try await client.api(.get, "/api/v1/reports.csv?\(range)&table=summary", token: token).body)
            #expect(summary.contains("tickets_opened,1\r\n"))
            let previous = String(buffer: try await client.api(.get, "/api/v1/reports.csv?\(range)&table=summary&period=previous",
                                                               token: token).body)
            #expect(previous.contains("tickets_opened,0\r\n"))
            let bad = try await client.api(.get, "/api/v1/reports.csv?\(range)&table=salaries", token: token)
            expectError(bad, .unprocessableContent, code: "invalid_field")
            #expect(String(buffer: bad.body).contains("summary, sla, backlog"))
            expectError(try await client.api(.get, "/api/v1/reports.csv?\(range)", token: token), .unprocessableContent)
            expectError(try await client.api(.get, "/api/v1/reports.csv?\(range)&table=sla&period=next", token: token),
                        .unprocessableContent)
            expectError(try await client.api(.get, "/api/v1/reports.csv?\(range)&table=sla", token: nil), .unauthorized)
            let editorToken = try await issueToken(database, name: "ed", role: .editor)
            expectError(try await client.api(.get, "/api/v1/reports.csv?\(range)&table=sla", token: editorToken), .forbidden)

            // From the console: links under the figures, downloaded with the session.
            var browser = Browser(client: client)
            _ = try await browser.signIn(token)
            let page = String(buffer: try await browser.request(.get, "/console/reports?\(range)").body)
            #expect(page.contains("/console/reports.csv?table=intake&amp;from=2025-03-04&amp;to=2025-03-04"))
            #expect(page.contains("/console/reports.csv?table=tickets&amp;"))
            #expect(page.contains("<table class=\"figures\">") && page.contains("Previous period"), "the figures are on the page")
            let tickets = try await browser.request(.get, "/console/reports.csv?table=tickets&\(range)")
            #expect(tickets.status == .ok)
            #expect(String(buffer: tickets.body).contains("\"'=HYPERLINK(\"\"http://x\"\")\""), "formula-safe")
            #expect(try await browser.request(.get, "/console/reports.csv?table=nope&\(range)").status == .unprocessableContent)
            #expect(try await browser.request(.get, "/console/reports.csv?table=sla&from=2025-03-09&to=2025-03-04").status
                == .unprocessableContent)
            var stranger = Browser(client: client)
            #expect(try await stranger.request(.get, "/console/reports.csv?table=sla&\(range)").status == .seeOther)
        }
    }
}
