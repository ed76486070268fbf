import FirstLineCore
@testable import FirstLineServer
import Testing

/// Each inbox entry goes to the one handler of its kind, decided from the message alone.
@Suite("InboundRoute: one handler per kind of inbound event")
struct InboundRouteTests {
    static let channel = AgentChannel(platform: .slack, conversationKey: "slack:C0AGENTS")

    static func message(_ content: InboundMessage.Content, platform: Platform = .slack, key: String = "slack:D0EMP",
                        repliesTo: String? = nil) -> InboundMessage {
        InboundMessage(platform: platform, eventID: "e1", conversationKey: key, userID: "U1", displayName: "Ana",
                       content: content, repliesTo: repliesTo)
    }

    @Test("an employee's text in ko, ja and en, a dialogue button, and a join", arguments: ["VPN이 안 돼요", "VPNが繋がりません", "VPN is down"])
    func employee(_ text: String) throws {
        guard case let .employeeTurn(.message(routed), transcript) = try InboundRoute.of(Self.message(.text(text)), agentChannel: Self.channel)
        else { Issue.record("not an employee turn"); return }
        #expect(routed == text && transcript == text)
        guard case let .employeeTurn(.button(button), label) = try InboundRoute.of(Self.message(.button("human")), agentChannel: nil)
        else { Issue.record("not a dialogue button"); return }
        #expect(button == .talkToPerson && label == "[human]")
        guard case .joined = try InboundRoute.of(Self.message(.joined), agentChannel: Self.channel) else {
            Issue.record("not a join")
            return
        }
    }

    @Test("desk buttons go to the desk handler")
    func deskButton() throws {
        guard case let .deskButton(action) = try InboundRoute.of(Self.message(.button("claim:HD-000042")), agentChannel: nil)
        else { Issue.record("not a desk button"); return }
        #expect(action.ticketNumber == "HD-000042")
    }

    @Test("a Slack thread under an agents' channel post, or a Telegram reply to one, is an agent's relay")
    func agentRelay() throws {
        let thread = Self.message(.text("rebooted the router"), key: "slack:C0AGENTS:1700000000.000100")
        guard case let .agentRelay(text, post, channel) = try InboundRoute.of(thread, agentChannel: Self.channel)
        else { Issue.record("not a relay"); return }
        #expect(text == "rebooted the router" && post == "1700000000.000100" && channel == Self.channel)

        let group = AgentChannel(platform: .telegram, conversationKey: "telegram:-100123")
        let reply = Self.message(.text("on it"), platform: .telegram, key: "telegram:-100123", repliesTo: "77")
        guard case let .agentRelay(_, telegramPost, _) = try InboundRoute.of(reply, agentChannel: group)
        else { Issue.record("not a relay"); return }
        #expect(telegramPost == "77")
        // The same chat but on another platform, or the channel itself without a thread, is no relay.
        guard case .employeeTurn = try InboundRoute.of(Self.message(.text("hi"), key: "slack:C0AGENTS"), agentChannel: Self.channel)
        else { Issue.record("a post in the channel itself is not a relay"); return }
    }

    @Test("a button this version does not know is refused by name")
    func unknownButton() {
        #expect(throws: InboundRoute.UnknownButton(action: "explode")) {
            try InboundRoute.of(Self.message(.button("explode")), agentChannel: nil)
        }
    }
}
