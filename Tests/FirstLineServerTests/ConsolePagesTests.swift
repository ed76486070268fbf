import FirstLineCore
import FirstLineServer
import Foundation
import GRDB
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

@testable import FirstLineStore

/// The server-rendered console (issue: console, points 1, 2, 4, 6) through the real server:
/// sign-in and sign-out, expired and revoked sessions, CSRF refusals, menus and refusals by role,
/// hostile text escaped, an agent's reply reaching the employee's web chat, three languages.
@Suite("console pages")
struct ConsolePagesTests {
    struct Browser {
        let client: any TestClientProtocol
        var cookies: [String: String] = [:]

        mutating func request(_ method: HTTPRequest.Method, _ uri: String, form: [String: String]? = nil,
                              headers extra: HTTPFields = [:]) async throws -> TestResponse {
            var headers = extra
            if !cookies.isEmpty {
                headers[.cookie] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
            }
            var body: ByteBuffer?
            if let form {
                headers[.contentType] = "application/x-www-form-urlencoded"
                let encoded = form.sorted { $0.key < $1.key }.map { key, value in
                    "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
                }.joined(separator: "&")
                body = ByteBuffer(string: encoded)
            }
            let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
            for value in response.headers[values: .setCookie] {
                let pair = value.split(separator: ";").first?.split(separator: "=", maxSplits: 1).map(String.init) ?? []
                guard pair.count == 2 else { continue }
                if value.contains("Max-Age=0") { cookies[pair[0]] = nil } else { cookies[pair[0]] = pair[1] }
            }
            return response
        }

        /// The value of a hidden field on a page.
        static func field(_ name: String, in page: String) -> String? {
            guard let range = page.range(of: "name=\"\(name)\" value=\"") else { return nil }
            return String(page[range.upperBound...].prefix { $0 != "\"" })
        }

        mutating func signIn(_ token: String, headers: HTTPFields = [:]) async throws -> TestResponse {
            let page = String(buffer: try await request(.get, "/console/login").body)
            let csrf = try #require(Self.field("csrf", in: page))
            return try await request(.post, "/console/login", form: ["csrf": csrf, "token": token], headers: headers)
        }
    }

    @Test("sign in, the queue with hostile text escaped, a ticket, a reply that reaches the chat, sign out")
    func agentDay() async throws {
        try await TestEnvironment.withAgentServer { _, client, database in
            let token = try await issueToken(database, name: "ana", role: .agent)
            try await database.issueChatSessions(["hostile"])
            _ = try await client.chat(session: "hostile", text: #"<script>alert(1)</script> "><img src=x onerror=alert(2)> printer jam"#)
            var answer = try await client.press(session: "hostile", action: "human")
            if answer.ticket == nil { answer = try await client.press(session: "hostile", action: "blocks:yes") }
            let number = try #require(answer.ticket)

            var browser = Browser(client: client)
            #expect(try await browser.request(.get, "/console/queue").headers[.location] == "/console/login")
            let login = try await browser.request(.get, "/console/login")
            #expect(login.status == .ok)
            #expect(login.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(login.headers[.contentSecurityPolicy]?.contains("script-src 'self';") == true, "only the server's own script file")
            #expect(login.headers[.contentSecurityPolicy]?.contains("unsafe-inline") == false)
            // A forged sign-in (no form token) and a wrong token are refused.
            var stranger = Browser(client: client)
            #expect(try await stranger.request(.post, "/console/login", form: ["token": token]).status == .unauthorized)
            #expect(try await browser.signIn("not-a-token").status == .unauthorized)

            let signedIn = try await browser.signIn(token)
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/console/queue")
            let cookie = signedIn.headers[values: .setCookie].first { $0.hasPrefix("fl_console=") } ?? ""
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && !cookie.contains("Secure"))
            #expect(try await database.read { db in try String.fetchAll(db, sql: "SELECT tokenHash FROM consoleSession") }
                .allSatisfy { $0.count == 64 && !cookie.contains($0) }, "only the hash is stored")

            let queue = String(buffer: try await browser.request(.get, "/console/queue").body)
            #expect(queue.contains(number))
            #expect(!queue.contains("<script>alert"), "hostile text is escaped")
            #expect(!queue.contains("<img src=x"))
            #expect(queue.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(queue.contains("/console/reports") && !queue.contains("/console/gaps"), "an agent's menu")

            let page = String(buffer: try await browser.request(.get, "/console/tickets/\(number)").body)
            #expect(page.contains("Transcript") && page.contains("History"))
            #expect(page.contains("Pressed: Talk to a person") && !page.contains("[human]"), "a press reads as its words, in the transcript and the ticket's description")
            #expect(!page.contains("<img src=x"))
            let csrf = try #require(Browser.field("csrf", in: page))
            // Without the form token nothing happens.
            #expect(try await browser.request(.post, "/console/tickets/\(number)/reply", form: ["text": "forged"]).status == .forbidden)
            let sent = try await browser.request(.post, "/console/tickets/\(number)/reply", form: ["csrf": csrf, "text": "Open tray 2, please."])
            #expect(sent.status == .seeOther)
            let chat = try await client.poll(session: "hostile")
            #expect(chat.replies.contains { $0.text.contains("Open tray 2, please.") })
            #expect(try await database.history(number: number).contains { $0.kind == .message && $0.actor == .agent("ana") })
            #expect(try await database.history(number: number).allSatisfy { $0.note != "forged" })
            _ = try await browser.request(.post, "/console/tickets/\(number)/note", form: ["csrf": csrf, "text": "called the user"])
            #expect(try await database.history(number: number).contains { $0.kind == .note && $0.note == "called the user" })
            _ = try await browser.request(.post, "/console/tickets/\(number)/resolve", form: ["csrf": csrf])
            #expect(try await database.ticket(number: number)?.status == .resolved)

            // A suspected incident is on top of the queue with Confirm / Dismiss; confirming decides it once.
            let suspected = Incident(topic: "article:vpn-connect", reporters: 11, reports: 12, normalLevel: 1,
                                     firstReportAt: Date(), raisedAt: Date())
            let raised = try #require(try await database.raiseIncident(suspected, at: Date(), notice: { _ in [] }))
            let withIncident = String(buffer: try await browser.request(.get, "/console/queue").body)
            #expect(withIncident.contains("/console/incidents/\(raised.number)/confirm"))
            #expect(try await browser.request(.post, "/console/incidents/\(raised.number)/confirm", form: [:]).status == .forbidden)
            #expect(try await database.incident(id: raised.id!)?.status == .suspected)
            let confirmed = try await browser.request(.post, "/console/incidents/\(raised.number)/confirm", form: ["csrf": csrf])
            #expect(confirmed.headers[.location] == "/console/queue")
            #expect(try await database.incident(id: raised.id!)?.decidedBy == "ana")
            #expect(!String(buffer: try await browser.request(.get, "/console/queue").body).contains("/confirm"))
            // Confirmed: its notice is written and ended, and it is resolved, from the console.
            _ = try await browser.request(.post, "/console/incidents/\(raised.number)/notice",
                                          form: ["csrf": csrf, "lang": "ko", "text": "VPN 장비 점검 중이에요 <b>곧</b>"])
            #expect(try await database.incident(id: raised.id!)?.notice == IncidentNote(ko: "VPN 장비 점검 중이에요 <b>곧</b>"))
            let shown = String(buffer: try await browser.request(.get, "/console/queue").body)
            #expect(shown.contains("VPN 장비 점검 중이에요 &lt;b&gt;곧&lt;/b&gt;"))
            _ = try await browser.request(.post, "/console/incidents/\(raised.number)/end-notice", form: ["csrf": csrf])
            #expect(try await database.incident(id: raised.id!)?.notice == nil)
            _ = try await browser.request(.post, "/console/incidents/\(raised.number)/resolve",
                                          form: ["csrf": csrf, "lang": "en", "text": "Gateway replaced."])
            let resolved = try #require(try await database.incident(id: raised.id!))
            #expect(resolved.status == .resolved && resolved.resolutionNote == IncidentNote(en: "Gateway replaced."))

            let reports = try await browser.request(.get, "/console/reports?from=2025-03-01&to=2025-03-04")
            #expect(reports.status == .ok)
            let report = String(buffer: reports.body)
            #expect(report.contains("<svg"))
            // Every part of the report is on the page, not only in the CSV files: each deflection kind with
            // its definition in words, p90 beside the median, SLA per priority, the breakdowns, ratings.
            #expect(report.contains("Deflected, confirmed") && report.contains("Deflected, potential"))
            #expect(report.contains("The employee pressed Solved on a suggested article."))
            #expect(report.contains("First response, p90 (business min)") && report.contains("Resolution, p90 (business min)"))
            #expect(report.contains("SLA compliance per priority") && report.contains("<th>P2</th>"))
            for title in ["Tickets by category", "Tickets by team", "Tickets by channel", "Tickets by intake path", "Ratings given (CSAT)"] {
                #expect(report.contains("<h2>\(title)</h2>"), "\(title) is on the page")
            }
            #expect(report.contains("<tr><th>Hardware</th><td>1</td><td>0</td></tr>"), "the printer ticket, in words, beside the previous period")
            #expect(report.contains("<tr><th>Web</th><td>1</td>"), "its intake path")
            #expect(try await browser.request(.get, "/console/reports?from=2025-03-09&to=2025-03-04").status == .unprocessableContent)

            let old = browser.cookies
            #expect(try await browser.request(.post, "/console/logout", form: ["csrf": csrf]).headers[.location] == "/console/login")
            browser.cookies = old
            #expect(try await browser.request(.get, "/console/queue").headers[.location] == "/console/login", "revoked on sign-out")
        }
    }

    @Test("roles: an editor sees the gaps, not the queue; a disabled user's session ends; an expired one too")
    func rolesAndRevocation() async throws {
        try await TestEnvironment.withAgentServer { env, client, database in
            let editorToken = try await issueToken(database, name: "ed", role: .editor)
            var editor = Browser(client: client)
            let signed = try await editor.signIn(editorToken, headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(signed.headers[.location] == "/console/gaps")
            #expect(signed.headers[values: .setCookie].contains { $0.hasPrefix("fl_console=") && $0.contains("Secure") })
            #expect(try await editor.request(.get, "/console/queue").status == .forbidden)
            #expect(try await editor.request(.get, "/console/tickets/HD-000001").status == .forbidden)
            let gaps = try await editor.request(.get, "/console/gaps")
            #expect(gaps.status == .ok && String(buffer: gaps.body).contains("/console/gaps"))

            _ = try await database.disableAccount(name: "ed", at: env.clock.now())
            #expect(try await editor.request(.get, "/console/gaps").headers[.location] == "/console/login")

            let agentToken = try await issueToken(database, name: "bo", role: .agent)
            var agent = Browser(client: client)
            _ = try await agent.signIn(agentToken)
            #expect(try await agent.request(.get, "/console/queue").status == .ok)
            env.clock.advance(by: 13 * 3600)
            #expect(try await agent.request(.get, "/console/queue").headers[.location] == "/console/login", "expired after 12 hours")
        }
    }

    @Test("the console speaks Korean, Japanese and English; a chosen language is remembered")
    func languages() async throws {
        try await TestEnvironment.withAgentServer { _, client, database in
            let token = try await issueToken(database, name: "ana", role: .agent)
            var browser = Browser(client: client)
            _ = try await browser.signIn(token)
            let japanese = try await browser.request(.get, "/console/queue", headers: [.acceptLanguage: "ja-JP,ja;q=0.9"])
            #expect(String(buffer: japanese.body).contains("キュー"))
            let korean = try await browser.request(.get, "/console/queue?lang=ko")
            #expect(String(buffer: korean.body).contains("대기열"))
            #expect(browser.cookies["fl_lang"] == "ko")
            let remembered = try await browser.request(.get, "/console/reports", headers: [.acceptLanguage: "en"])
            #expect(String(buffer: remembered.body).contains("보고서"))
            let english = try await browser.request(.get, "/console/queue?lang=en")
            #expect(String(buffer: english.body).contains("Queue"))
        }
    }
}
