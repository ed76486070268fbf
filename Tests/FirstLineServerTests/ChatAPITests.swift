import FirstLineCore
import FirstLineServer
@testable import FirstLineStore
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// The server through its HTTP API (design §6), built by the real composition root on the shipped
/// knowledge base and intents, with a real SQLite file per test.
@Suite("web chat API")
struct ChatAPITests {
    // MARK: Health and page

    @Test("GET /healthz is 200")
    func healthz() async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, _ in
                let response = try await client.execute(uri: "/healthz", method: .get)
                #expect(response.status == .ok)
            }
        }
    }

    @Test("GET /readyz is 200 once the server has started (database and content ready)")
    func readyz() async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, _ in
                let response = try await client.execute(uri: "/readyz", method: .get)
                #expect(response.status == .ok, "\(String(buffer: response.body))")
            }
        }
    }

    @Test("GET /chat is the HTML page with the message form")
    func chatPage() async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, _ in
                let response = try await client.execute(uri: "/chat", method: .get)
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/html") == true)
                let html = String(buffer: response.body)
                #expect(html.contains("<form"))
                #expect(html.contains("<textarea"))
                #expect(html.contains(#"<script src="/chat/chat.js"></script>"#))
                let script = String(buffer: try await client.execute(uri: "/chat/chat.js", method: .get).body)
                #expect(script.contains("/api/v1/chat/messages") && script.contains("/api/v1/chat/sessions"))
            }
        }
    }

    // MARK: Answers

    @Test("a question gets the right article in the employee's language", arguments: JourneyCase.all)
    func answersQuestion(_ journey: JourneyCase) async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, database in
                let session = try await client.newSession()
                let answers = try await Journey.ask(journey, session: session, client: client)
                let shown = try #require(answers.last)
                let reply = try #require(shown.replies.first)
                let article = try #require(reply.articles.first)
                #expect(article.id == journey.article)
                #expect(!article.title.isEmpty)
                #expect(reply.text.contains(article.title))
                #expect(journey.script.isUsed(in: reply.text), "not in \(journey.language): \(reply.text)")
                #expect(shown.state == DialoguePhase.suggesting.rawValue)
                #expect(shown.ticket == nil)
                // Solved / Still broken for this article, and a way to a person.
                let actions = shown.buttons.map(\.action)
                #expect(actions.contains("solved:\(journey.article)"))
                #expect(actions.contains("broken:\(journey.article)"))
                #expect(actions.contains("human"))
                #expect(shown.buttons.allSatisfy { !$0.label.isEmpty })

                // Stored: the question and the bot's answer, and the suggestion for the repeat window.
                let transcript = try await database.transcript(session: session)
                #expect(transcript.first?.text == journey.question)
                #expect(transcript.contains { $0.author == .bot && $0.text.contains(article.title) })
                #expect(try await RowCounts.of(database)["suggestion"] >= 1)
                // The replies were delivered in the response: nothing is left for polling.
                #expect(try await database.pendingCount() == 0)
                #expect(try await client.poll(session: session).replies.isEmpty)
            }
        }
    }

    @Test("every answer has the 'ticket' key of the contract, null while no ticket is open")
    func ticketKeyIsAlwaysPresent() async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, _ in
                let response = try await client.postChat(JSON.string(["session": try await client.newSession(), "text": "printer is jammed"]))
                #expect(response.status == .ok)
                let object = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
                let keys = Set(object?.keys.map { $0 } ?? [])
                #expect(keys.isSuperset(of: ["session", "replies", "state"]))
                #expect(keys.contains("ticket"), "keys: \(keys.sorted())")
                #expect(object?["ticket"] is NSNull)
            }
        }
    }

    // MARK: Escalation

    @Test("Still broken until a person is needed, then a ticket; later messages go to it, acknowledged",
          arguments: JourneyCase.all)
    func escalationJourney(_ journey: JourneyCase) async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, database in
                let session = try await client.newSession()
                let outcome = try await Journey.escalate(journey, session: session, client: client)

                let ticket = try #require(try await database.ticket(number: outcome.ticket))
                #expect(ticket.channel == .web)
                #expect(ticket.status == .new)
                // "Yes, it blocks my work" raises the urgency of a one-person problem: P2 (design §5).
                #expect(ticket.priority == .p2)
                let conversation = try #require(try await database.conversation(platform: .web, conversationKey: WebChatKey.conversationKey(session)))
                #expect(ticket.conversationID == conversation.id)
                #expect(try await database.openTicket(conversationID: conversation.id!)?.number == outcome.ticket)

                // While the ticket is open the message goes to the ticket, and the bot says so in one line.
                let later = try await client.chat(session: session, text: journey.followUp)
                #expect(later.replies.count == 1, "replied: \(later.allText)")
                #expect(ticketNumbers(in: later.allText) == [outcome.ticket])
                #expect(journey.script.isUsed(in: later.allText))
                #expect(later.state == DialoguePhase.ticketOpen.rawValue)
                #expect(later.ticket == outcome.ticket)

                let history = try await database.history(number: outcome.ticket)
                #expect(history.first?.kind == .created)
                #expect(history.contains { $0.kind == .message && $0.note == journey.followUp },
                        "history: \(history.map { "\($0.kind.rawValue): \($0.note ?? "")" })")
                // The transcript given to the agent holds what was said before the ticket.
                let transcript = try #require(history.first { $0.kind == .created }?.note)
                #expect(transcript.contains(journey.question), "\(transcript)")
                for answer in outcome.answers.dropLast() {
                    for reply in answer.replies {
                        let firstLine = reply.text.split(separator: "\n").first.map(String.init) ?? ""
                        #expect(transcript.contains(firstLine), "missing from the transcript: \(firstLine)")
                    }
                }

                // And the conversation's own transcript has everything, the follow-up last.
                let messages = try await database.transcript(session: session)
                #expect(messages.first?.text == journey.question)
                #expect(messages.dropLast().last?.text == journey.followUp)
                #expect(messages.dropLast().last?.author == .employee)
                #expect(messages.last?.author == .bot && messages.last?.text.contains(outcome.ticket) == true)
                #expect(messages.contains { $0.author == .bot && $0.text.contains(outcome.ticket) })
            }
        }
    }

    @Test("'Talk to a person' with nothing said yet asks for a description, then whether it blocks work")
    func talkToPersonAsksDescription() async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, database in
                let session = try await client.newSession()
                let hello = try await client.chat(session: session, text: "안녕하세요")
                #expect(hello.ticket == nil)
                let asked = try await client.press(session: session, action: "human")
                #expect(asked.state == DialoguePhase.escalating.rawValue)
                #expect(!asked.buttons.contains { $0.action.hasPrefix("blocks:") }, "asked urgency before the problem")
                #expect(JourneyCase.Script.hangul.isUsed(in: asked.allText))
                let described = try await client.chat(session: session, text: "모니터가 깜빡거리다가 꺼져요")
                #expect(described.state == DialoguePhase.escalating.rawValue)
                #expect(Set(described.buttons.map(\.action)).isSuperset(of: ["blocks:yes", "blocks:no"]))
                let filed = try await client.press(session: session, action: "blocks:no")
                #expect(filed.state == DialoguePhase.ticketOpen.rawValue)
                let number = try #require(filed.ticket)
                #expect(ticketNumbers(in: filed.allText) == [number])
                let ticket = try #require(try await database.ticket(number: number))
                // Not blocking one person's work: the default P3.
                #expect(ticket.priority == .p3)
                #expect(ticket.subject.contains("모니터"))
            }
        }
    }

    /// How each language says "no" in words; the Korean and Japanese ones are the labels of the "blocks:no" button.
    static let typedNo: [(question: String, no: String)] = [
        ("VPN이 안 돼요", "아니요"), ("パスワードを忘れました", "いいえ"), ("printer is jammed", "no"),
    ]

    @Test("'no' typed in words answers 'is this stopping you from working?' and files a P3 ticket",
          arguments: typedNo)
    func typedNoAnswersBlocksWork(_ question: String, _ no: String) async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, database in
                let session = try await client.newSession()
                let shown = try await client.chat(session: session, text: question)
                #expect(shown.state == DialoguePhase.suggesting.rawValue)
                let asked = try await client.press(session: session, action: "human")
                #expect(asked.state == DialoguePhase.escalating.rawValue)
                #expect(asked.buttons.contains { $0.action == "blocks:no" })
                let filed = try await client.chat(session: session, text: no)
                #expect(filed.state == DialoguePhase.ticketOpen.rawValue, "\(filed.allText)")
                let number = try #require(filed.ticket)
                #expect(try await database.ticket(number: number)?.priority == .p3)
            }
        }
    }

    // MARK: Restarts

    @Test("after a restart on the same file the conversation continues with its ticket", arguments: JourneyCase.all)
    func persistsAcrossRestart(_ journey: JourneyCase) async throws {
        try await TestEnvironment.with { env in
            // A session issued by the first process is known to the next one (it is in the file).
            let (session, outcome) = try await env.withServer { client, _ in
                let session = try await client.newSession()
                return (session, try await Journey.escalate(journey, session: session, client: client))
            }
            env.clock.advance(by: 3600)

            // A new application on a newly opened database: nothing survives but the file.
            try await env.withServer { client, database in
                let status = try await client.chat(session: session, text: journey.statusQuestion)
                #expect(status.state == DialoguePhase.ticketOpen.rawValue)
                #expect(status.ticket == outcome.ticket)
                #expect(ticketNumbers(in: status.allText).contains(outcome.ticket), "status: \(status.allText)")
                #expect(journey.script.isUsed(in: status.allText))

                // The next message joins the ticket, acknowledged with its number.
                let later = try await client.chat(session: session, text: journey.followUp)
                #expect(later.replies.count == 1 && ticketNumbers(in: later.allText) == [outcome.ticket])
                #expect(later.ticket == outcome.ticket)
                let history = try await database.history(number: outcome.ticket)
                #expect(history.contains { $0.kind == .message && $0.note == journey.followUp })

                // The session is known to the new process.
                #expect(try await client.poll(session: session).replies.isEmpty)
                let messages = try await database.transcript(session: session)
                #expect(messages.first?.text == journey.question)
                #expect(messages.contains { $0.text == journey.statusQuestion })
            }
        }
    }

    @Test("a message acknowledged but not processed before a restart is answered right after the start")
    func resumesPendingInbox() async throws {
        try await TestEnvironment.with { env in
            let session = try await env.withServer { client, _ in try await client.newSession() }
            // As the chat API files it: under the session's hash, never the session.
            let key = WebChatKey.conversationKey(session)
            let message = InboundMessage(platform: .web, eventID: "evt-before-crash", conversationKey: key, userID: key,
                                         displayName: "Web chat", content: .text("printer is jammed"))
            // The first process commits the event to the inbox (the 200 went out) and dies before the turn.
            do {
                let database = try env.openDatabase()
                defer { try? database.close() }
                let parts = FirstLineApplication.makeParts(configuration: env.configuration,
                                                           dependencies: env.dependencies(database))
                #expect(try await parts.conversations.recorder.record(message))
                #expect(try await parts.conversations.recorder.record(message) == false, "a redelivery is not stored twice")
                let event = try #require(try await database.inboxEvent(platform: .web, eventID: message.eventID))
                #expect(event.status == .pending)
                #expect(try await database.conversation(platform: .web, conversationKey: key) == nil)
            }

            // The new process's inbox worker answers it in its first pass, right after the start (the row was
            // committed before the port opened, so it is not left to a request, however recent it is).
            try await env.withServer { client, database in
                let deadline = ContinuousClock.now + .seconds(15)
                while try await database.inboxEvent(platform: .web, eventID: message.eventID)?.status == .pending,
                      ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(20))
                }
                let event = try #require(try await database.inboxEvent(platform: .web, eventID: message.eventID))
                #expect(event.status == .done)
                #expect(try await database.pending(limit: 10).isEmpty)
                let messages = try await database.transcript(session: session)
                #expect(messages.first?.author == .employee)
                #expect(messages.first?.text == "printer is jammed")
                #expect(messages.contains { $0.author == .bot && $0.text.contains("Printer is jammed") },
                        "\(messages.map(\.text))")

                // The web page collects the answer by polling, exactly once.
                let polled = try await client.poll(session: session)
                #expect(polled.replies.first?.articles.first?.id == "printer-paper-jam")
                #expect(try await client.poll(session: session).replies.isEmpty)
                // And the conversation goes on from the answered state.
                let solved = try await client.press(session: session, action: "solved:printer-paper-jam")
                #expect(solved.state == DialoguePhase.closed.rawValue)
            }
        }
    }

    // MARK: Repeat window

    @Test("an article marked Solved is not shown first again within the repeat window, and is after it")
    func repeatWindow() async throws {
        try await TestEnvironment.with { env in
            let window = env.configuration.dialogue.repeatWindow
            try await env.withServer { client, _ in
                let session = try await client.newSession()
                let question = JourneyCase.english.question
                let article = JourneyCase.english.article

                let first = try await client.chat(session: session, text: question)
                #expect(first.replies.first?.articles.first?.id == article)
                let solved = try await client.press(session: session, action: "solved:\(article)")
                #expect(solved.state == DialoguePhase.closed.rawValue)
                #expect(solved.replies.count == 1)

                // Within the window: the same question does not lead with the same article.
                env.clock.advance(by: window / 2)
                let again = try await client.chat(session: session, text: question)
                #expect(again.replies.first?.articles.first?.id != article, "shown again: \(again.articleIDs)")
                #expect(again.shownArticle != article)
                #expect(!again.buttons.contains { $0.action == "solved:\(article)" })

                // Past the window (counted from the first showing): it is the answer again.
                env.clock.advance(by: window / 2 + 60)
                let later = try await client.chat(session: session, text: question)
                #expect(later.replies.first?.articles.first?.id == article, "after the window: \(later.articleIDs)")
                #expect(later.shownArticle == article)
            }
        }
    }

    /// Issue 15, point 4: a session is a bearer secret, so no row of the database holds it: not the session
    /// table, the conversation, the identity, the inbox payload, the outbox or the ticket made from the chat.
    @Test("after a chat that became a ticket, no row of any table contains the session")
    func noSessionInTheDatabase() async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, database in
                let session = try await client.newSession()
                _ = try await client.chat(session: session, text: "printer is jammed")
                var answer = try await client.press(session: session, action: "human")
                if answer.ticket == nil { answer = try await client.press(session: session, action: "blocks:yes") }
                #expect(answer.ticket != nil)
                #expect(try await database.transcript(session: session).count >= 4, "the chat is found by its session's hash")
                let found = try await database.dbWriter.read { db -> [String] in
                    var found: [String] = []
                    for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'") {
                        for row in try Row.fetchAll(db, sql: "SELECT * FROM \"\(table)\"") {
                            for (column, value) in row {
                                if let text = String.fromDatabaseValue(value), text.contains(session) { found.append("\(table).\(column)") }
                            }
                        }
                    }
                    return found
                }
                #expect(found.isEmpty, "the session is stored in \(found)")
            }
        }
    }
}
