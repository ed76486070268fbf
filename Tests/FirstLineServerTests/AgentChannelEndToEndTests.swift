import FirstLineCore
import FirstLineServer
import FirstLineTestSupport
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import FirstLineStore

/// The agents' channel over a real socket (issue: messengers, item 5): an escalation is posted to
/// the Slack agents' channel with Claim and Open; the first Claim wins, a double click claims once;
/// an agent's reply in the post's thread reaches the employee's DM; strangers cannot relay.
@Suite("agents' channel end to end", .serialized)
struct AgentChannelEndToEndTests {
    static let channel = "C0AGENTS"

    static var desk: DeskPolicy {
        let always = BusinessCalendar.twentyFourSeven(timeZone: TimeZone(identifier: "Asia/Seoul")!)
        return DeskPolicy(
            calendars: ["always": always],
            teams: [Team(id: "desk", categories: Set(ArticleCategory.allCases), memberIDs: ["minji", "jun"],
                         strategy: .roundRobin, leadID: "minji")],
            teamCalendars: ["desk": "always"],
            agents: [Agent(id: "minji", capacity: 5, calendar: always), Agent(id: "jun", capacity: 5, calendar: always)],
            agentAddresses: ["minji": MessengerAddress(platform: .slack, id: "U0MINJI"),
                             "jun": MessengerAddress(platform: .slack, id: "U0JUN")],
            defaultTeamID: "desk")
    }

    @Test("escalation → channel post with Claim/Open → one claim → thread reply → the employee's DM")
    func claimAndReplyInThread() async throws {
        try await WebhookWorld.with(.slackOnly, slackAgentChannel: Self.channel, desk: Self.desk) { world in
            let client = world.client
            // Both agents are away, so the ticket waits in the queue for someone to claim it.
            try await world.database.setPresence(agentID: "minji", online: false, at: Date())
            try await world.database.setPresence(agentID: "jun", online: false, at: Date())
            var counter = 0
            func say(_ text: String) async throws {
                counter += 1
                let body = WebhookSigning.slackDM(eventID: "EvAC\(counter)", text: text, ts: "1700000000.00020\(counter)")
                #expect(try await client.slack("events", body: body).status == .ok)
                try await world.settle()
            }
            func press(_ value: String, user: String = "U01E2E", channel: String = "D01E2E") async throws {
                counter += 1
                let body = WebhookSigning.slackButton(value: value, actionTS: "1700000070.00000\(counter)", channel: channel,
                                                      user: user)
                #expect(try await client.slack("actions", body: body, form: true).status == .ok)
                try await world.settle()
            }
            func employeePosts() async -> [SlackPost] {
                await world.fake.calls(pathContaining: "chat.postMessage").map(SlackPost.init).filter { $0.channel == "D01E2E" }
            }

            // The employee asks for a person and answers what the bot asks until a ticket exists.
            try await say("사람 상담원 연결해 주세요")
            var number: String?
            for _ in 0..<6 {
                if let found = try await world.database.read({ db in try String.fetchOne(db, sql: "SELECT number FROM ticket") }) {
                    number = found
                    break
                }
                let buttons = await employeePosts().last(where: { !$0.buttons.isEmpty })?.buttons ?? []
                if buttons.contains("blocks:yes") {
                    try await press("blocks:yes")
                } else {
                    try await say("노트북 전원이 안 켜져요. 충전기를 바꿔도 똑같아요")
                }
            }
            let ticket = try #require(number, "no ticket was opened")

            // The agents' channel got the post with Claim and Open.
            let posts = try await world.eventually("the channel post") { () -> [SlackPost]? in
                let posts = await world.fake.calls(pathContaining: "chat.postMessage").map(SlackPost.init)
                    .filter { $0.channel == Self.channel }
                return posts.isEmpty ? nil : posts
            }
            let post = try #require(posts.first)
            #expect(post.text.contains(ticket))
            #expect(post.buttons == ["claim:\(ticket)", "open:\(ticket)"])
            let postTS = try await world.eventually("the post's ts") { () -> String? in
                try await world.database.read { db in
                    try String.fetchOne(db, sql: "SELECT platformMessageID FROM outbox WHERE idempotencyKey = ?",
                                        arguments: ["desk:new:\(ticket)"])
                }
            }

            // jun double-clicks Claim, minji clicks a moment later: jun holds it, once.
            try await press("claim:\(ticket)", user: "U0JUN", channel: Self.channel)
            try await press("claim:\(ticket)", user: "U0JUN", channel: Self.channel)
            try await press("claim:\(ticket)", user: "U0MINJI", channel: Self.channel)
            #expect(try await world.database.ticket(number: ticket)?.assignee == "jun")
            let assignments = try await world.database.history(number: ticket).filter { $0.kind == .assignee }
            #expect(assignments.count == 1)
            let channelTexts = await world.fake.calls(pathContaining: "chat.postMessage").map(SlackPost.init)
                .filter { $0.channel == Self.channel }.map(\.text)
            #expect(channelTexts.contains("jun claimed \(ticket)."))
            #expect(channelTexts.filter { $0.contains("already with jun") }.count == 2)

            // Open shows the details to an agent.
            try await press("open:\(ticket)", user: "U0JUN", channel: Self.channel)
            let details = await world.fake.calls(pathContaining: "chat.postMessage").map(SlackPost.init).last?.text ?? ""
            #expect(details.contains("assignee: jun"), "\(details)")

            // jun answers in the thread: the employee's DM gets it, and the ticket records the first response.
            let before = await employeePosts().count
            counter += 1
            let reply = WebhookSigning.slackThreadReply(eventID: "EvAC\(counter)", text: "충전기 모델명을 알려주시겠어요?",
                                                        ts: "1700000100.000001", threadTS: postTS, channel: Self.channel,
                                                        user: "U0JUN")
            #expect(try await client.slack("events", body: reply).status == .ok)
            try await world.settle()
            let relayed = try await world.eventually("the relayed reply") { () -> SlackPost? in
                await employeePosts().dropFirst(before).first { $0.text.contains("충전기 모델명") }
            }
            #expect(relayed.channel == "D01E2E")
            let stored = try #require(try await world.database.ticket(number: ticket))
            #expect(stored.firstRespondedAt != nil)
            #expect(try await world.database.history(number: ticket).contains { $0.kind == .message && $0.actor == .agent("jun") })

            // Someone who is not a configured agent cannot speak for the desk.
            counter += 1
            let stranger = WebhookSigning.slackThreadReply(eventID: "EvAC\(counter)", text: "I am not an agent",
                                                           ts: "1700000101.000001", threadTS: postTS, channel: Self.channel,
                                                           user: "U0STRANGER")
            #expect(try await client.slack("events", body: stranger).status == .ok)
            try await world.settle()
            #expect(await !employeePosts().contains { $0.text.contains("I am not an agent") })
            #expect(try await world.database.history(number: ticket).filter { $0.kind == .message && $0.note == "I am not an agent" }.isEmpty)
        }
    }

    @Test("a suspected incident's Confirm in the channel: a listed agent's press decides it once; a stranger's does nothing")
    func confirmIncidentInChannel() async throws {
        try await WebhookWorld.with(.slackOnly, slackAgentChannel: Self.channel, desk: Self.desk) { world in
            let suspected = Incident(topic: "article:vpn-connect", reporters: 11, reports: 12, normalLevel: 1,
                                     firstReportAt: Date(), raisedAt: Date())
            let raised = try #require(try await world.database.raiseIncident(suspected, at: Date(), notice: { _ in [] }))
            var counter = 0
            func press(_ value: String, user: String) async throws {
                counter += 1
                let body = WebhookSigning.slackButton(value: value, actionTS: "1700000090.00000\(counter)", channel: Self.channel,
                                                      user: user)
                #expect(try await world.client.slack("actions", body: body, form: true).status == .ok)
                try await world.settle()
            }
            func channelTexts() async -> [String] {
                await world.fake.calls(pathContaining: "chat.postMessage").map(SlackPost.init)
                    .filter { $0.channel == Self.channel }.map(\.text)
            }
            try await press("incident-confirm:\(raised.number)", user: "U0STRANGER")
            #expect(try await world.database.incident(id: raised.id!)?.status == .suspected)
            try await press("incident-confirm:\(raised.number)", user: "U0JUN")
            try await press("incident-dismiss:\(raised.number)", user: "U0MINJI")
            let decided = try #require(try await world.database.incident(id: raised.id!))
            #expect(decided.status == .confirmed && decided.decidedBy == "jun")
            let texts = try await world.eventually("the answers") { () -> [String]? in
                let texts = await channelTexts()
                return texts.count >= 3 ? texts : nil
            }
            #expect(texts.contains { $0.hasPrefix("jun confirmed INC-1 as a major incident") }, "\(texts)")
            #expect(texts.contains("INC-1 is already confirmed (by jun)."), "\(texts)")
        }
    }

    @Test("in the thread under a suspected incident's post, agents write and end its notice and resolve it; others cannot")
    func incidentThreadCommands() async throws {
        try await WebhookWorld.with(.slackOnly, slackAgentChannel: Self.channel, desk: Self.desk) { world in
            let suspected = Incident(topic: "term:sap", reporters: 11, reports: 12, normalLevel: 1, firstReportAt: Date(),
                                     raisedAt: Date())
            let payload = String(decoding: try JSONEncoder().encode(Reply(text: "Suspected incident INC-1")), as: UTF8.self)
            let raised = try #require(try await world.database.raiseIncident(suspected, at: Date()) { incident in
                [NewOutboxMessage(platform: .slack, conversationKey: "slack:\(Self.channel)", idempotencyKey: "incident:\(incident.number):suspected",
                                  payload: payload)]
            })
            let postTS = try await world.eventually("the incident post's ts") { () -> String? in
                try await world.database.read { db in
                    try String.fetchOne(db, sql: "SELECT platformMessageID FROM outbox WHERE idempotencyKey = 'incident:INC-1:suspected'")
                }
            }
            var counter = 0
            func say(_ text: String, user: String = "U0JUN") async throws -> String {
                counter += 1
                let body = WebhookSigning.slackThreadReply(eventID: "EvINC\(counter)", text: text, ts: "1700000200.00000\(counter)",
                                                           threadTS: postTS, channel: Self.channel, user: user)
                #expect(try await world.client.slack("events", body: body).status == .ok)
                try await world.settle()
                return try await world.eventually("the thread's answer") { () -> String? in
                    let posts = await world.fake.calls(pathContaining: "chat.postMessage").map(SlackPost.init)
                        .filter { $0.channel == Self.channel }
                    return posts.count > counter ? posts.last?.text : nil
                }
            }
            let id = try #require(raised.id)
            #expect(try await say("confirm").hasPrefix("jun confirmed INC-1"))
            #expect(try await say("notice ja: SAPは13時に復旧予定です。").contains("ja notice"))
            #expect(try await say("notice: SAP will be back at 13:00.").contains("en notice"))
            #expect(try await world.database.incident(id: id)?.notice == IncidentNote(ja: "SAPは13時に復旧予定です。",
                                                                                        en: "SAP will be back at 13:00."))
            #expect(try await say("what now?") == IncidentCommand.help)
            #expect(try await say("end notice", user: "U0STRANGER").contains("Only"), "a stranger changes nothing")
            #expect(try await world.database.incident(id: id)?.notice != nil)
            #expect(try await say("end notice").contains("ended the notice"))
            #expect(try await world.database.incident(id: id)?.notice == nil)
            #expect(try await say("resolve: SAP is back.").contains("resolved INC-1"))
            let resolved = try #require(try await world.database.incident(id: id))
            #expect(resolved.status == .resolved && resolved.resolutionNote == IncidentNote(en: "SAP is back."))
            #expect(try await say("resolve").contains("already resolved"))
        }
    }

    @Test("Telegram: the agents' group gets the post, a Claim there claims, a reply to the post reaches the employee")
    func telegramGroup() async throws {
        let group = -1_001_234_567
        var desk = Self.desk
        desk.agentAddresses = ["minji": MessengerAddress(platform: .telegram, id: "7001")]
        try await WebhookWorld.with(.all, telegramAgentChat: Int64(group), desk: desk) { world in
            let client = world.client
            try await world.database.setPresence(agentID: "minji", online: false, at: Date())
            try await world.database.setPresence(agentID: "jun", online: false, at: Date())
            var update = 880_000
            func send(_ body: [UInt8]) async throws {
                #expect(try await client.telegram(body: body).status == .ok)
                try await world.settle()
            }
            func employeeSaw() async -> [TelegramPost] {
                await world.fake.calls(pathContaining: "sendMessage").map(TelegramPost.init).filter { $0.chatID == 424242 }
            }
            update += 1
            try await send(WebhookSigning.telegramText(updateID: update, text: "担当者と話したいです"))
            var number: String?
            for _ in 0..<6 {
                if let found = try await world.database.read({ db in try String.fetchOne(db, sql: "SELECT number FROM ticket") }) {
                    number = found
                    break
                }
                update += 1
                let buttons = await employeeSaw().last(where: { !$0.buttons.isEmpty })?.buttons ?? []
                if buttons.contains("blocks:yes") {
                    try await send(WebhookSigning.telegramCallback(updateID: update, queryID: "q\(update)", data: "blocks:yes"))
                } else {
                    try await send(WebhookSigning.telegramText(updateID: update, text: "ノートPCの電源が入りません。充電しても同じです"))
                }
            }
            let ticket = try #require(number, "no ticket was opened")
            let post = try await world.eventually("the group post") { () -> TelegramPost? in
                await world.fake.calls(pathContaining: "sendMessage").map(TelegramPost.init).first { $0.chatID == group }
            }
            #expect(post.text.contains(ticket))
            #expect(post.buttons == ["claim:\(ticket)", "open:\(ticket)"])
            let postID = try await world.eventually("the post's message id") { () -> String? in
                try await world.database.read { db in
                    try String.fetchOne(db, sql: "SELECT platformMessageID FROM outbox WHERE idempotencyKey = ?",
                                        arguments: ["desk:new:\(ticket)"])
                }
            }

            // Chatter in the group is not a question for the bot.
            update += 1
            try await send(WebhookSigning.telegramText(updateID: update, chatID: group, text: "lunch?"))
            #expect(try await world.database.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM conversation WHERE channelKey = ?", arguments: ["telegram:\(group)"]) } == 0)

            update += 1
            try await send(WebhookSigning.telegramCallback(updateID: update, queryID: "q\(update)", chatID: group, fromID: 7001,
                                                           data: "claim:\(ticket)"))
            #expect(try await world.database.ticket(number: ticket)?.assignee == "minji")

            update += 1
            try await send(WebhookSigning.telegramGroupReply(updateID: update, chatID: group, userID: 7001,
                                                             text: "再起動をお試しください", repliesTo: Int(postID)!))
            let relayed = try await world.eventually("the relayed reply") { () -> TelegramPost? in
                await employeeSaw().first { $0.text.contains("再起動をお試しください") }
            }
            #expect(relayed.chatID == 424242)
            #expect(try await world.database.history(number: ticket).contains { $0.kind == .message && $0.actor == .agent("minji") })
        }
    }
}
