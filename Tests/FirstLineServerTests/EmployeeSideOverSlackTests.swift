import FirstLineCore
import FirstLineServer
import FirstLineTestSupport
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import FirstLineStore

/// Issue 16 over one real messenger (point 7): Slack webhooks on a loopback socket, replies read at
/// the fake Slack API. A request without a manager tells the employee an agent decides, the agents'
/// channel sees it awaiting approval, and while the ticket is open the bot answers every message
/// and offers a new problem as one instead of merging it.
@Suite("the employee's side over Slack: approval wording, awaiting-approval marking, never quiet", .serialized)
struct EmployeeSideOverSlackTests {
    static let channel = "C0AGENTS"

    struct Case: Sendable, CustomTestStringConvertible {
        var language: Language
        var request: String
        var agentDecides: String
        var statusQuestion: String
        var newProblem: String
        var testDescription: String { language.rawValue }
    }

    static let cases = [
        Case(language: .ko, request: "포토샵 설치 요청", agentDecides: "IT 담당자가 승인", statusQuestion: "아직 안됐나요?",
             newProblem: "VPN이 연결되지 않아요"),
        Case(language: .ja, request: "フォトショップ入れてください", agentDecides: "ITの担当者が判断", statusQuestion: "まだですか?",
             newProblem: "VPNに接続できません"),
        Case(language: .en, request: "can you install photoshop for me", agentDecides: "an IT agent will decide",
             statusQuestion: "any update on my ticket?", newProblem: "the VPN will not connect"),
    ]

    @Test("approval without a manager, marked for agents; every later message answered; a new problem offered", arguments: cases)
    func employeeSide(_ example: Case) async throws {
        try await WebhookWorld.with(.slackOnly, slackAgentChannel: Self.channel, desk: AgentChannelEndToEndTests.desk) { world in
            let client = world.client
            var counter = 0
            func say(_ text: String) async throws {
                counter += 1
                let body = WebhookSigning.slackDM(eventID: "EvES\(counter)", text: text, ts: "1700000000.00030\(counter)")
                #expect(try await client.slack("events", body: body).status == .ok)
                try await world.settle()
            }
            func posts(to channel: String) async -> [SlackPost] {
                await world.fake.calls(pathContaining: "chat.postMessage").map(SlackPost.init).filter { $0.channel == channel }
            }

            try await say(example.request)
            let number = try #require(try await world.database.read { db in
                try String.fetchOne(db, sql: "SELECT number FROM ticket")
            }, "the request opened no ticket")
            let told = await posts(to: "D01E2E").map(\.text).joined(separator: "\n")
            #expect(told.contains(number) && told.contains(example.agentDecides), "\(told)")

            // The agents' channel hears that it waits for an agent's decision.
            let notice = try await world.eventually("the awaiting-approval notice") {
                await posts(to: Self.channel).first { $0.text.contains("Awaiting approval") && $0.text.contains(number) }
            }
            #expect(notice.text.contains("no manager"))
            counter += 1
            let open = WebhookSigning.slackButton(value: "open:\(number)", actionTS: "1700000070.00000\(counter)",
                                                  channel: Self.channel, user: "U0JUN")
            #expect(try await client.slack("actions", body: open, form: true).status == .ok)
            try await world.settle()
            let details = try await world.eventually("the ticket's details") {
                await posts(to: Self.channel).last { $0.text.contains("Status:") }
            }
            #expect(details.text.contains("awaiting approval"), "\(details.text)")

            // While it is open, a status question gets the ticket's state, never silence.
            let before = await posts(to: "D01E2E").count
            try await say(example.statusQuestion)
            let status = await posts(to: "D01E2E").dropFirst(before)
            #expect(status.contains { $0.text.contains(number) }, "\(status.map(\.text))")

            // A different problem is asked about, with the two buttons, not appended silently.
            let history = try await world.database.history(number: number).count
            let beforeProblem = await posts(to: "D01E2E").count
            try await say(example.newProblem)
            let offer = await posts(to: "D01E2E").dropFirst(beforeProblem)
            #expect(offer.contains { $0.buttons.contains("separate") && $0.buttons.contains("append") }, "\(offer.map(\.text))")
            #expect(try await world.database.history(number: number).count == history, "nothing added before the employee says so")
        }
    }
}
