import FirstLineCore
import FirstLineServer
import Foundation
import Testing

/// Messages IT does not handle, through the web chat API with the shipped content (issue 11,
/// part 2): no article, the desk named when configured, a person offered.
@Suite("web chat: messages that are not IT's")
struct OutOfScopeChatTests {
    static let messages: [(Language, String, String)] = [
        (.ko, "연차가 며칠 남았는지 알고 싶어요", "인사팀"),
        (.ja, "有給休暇があと何日残っているか知りたい", "人事部"),
        (.en, "how many vacation days do I have left", "HR"),
    ]

    @Test("with the shipped topics: said so in the employee's language, Talk to a person, no article", arguments: messages)
    func shippedTopics(_ language: Language, _ text: String, _ desk: String) async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, _ in
                let answer = try await client.chat(session: try await client.newSession(), text: text)
                #expect(answer.articleIDs.isEmpty, "\(answer.allText)")
                #expect(answer.allText.contains(desk), "\(answer.allText)")
                #expect(answer.replies.last?.buttons.map(\.action) == ["human"])
                #expect(answer.ticket == nil)
                #expect(LanguageDetector().detect(answer.allText) == language)
            }
        }
    }

    @Test("a desk configured in firstline.yml is named with how to reach it; Talk to a person still files a ticket")
    func configuredDesk() async throws {
        try await TestEnvironment.with { env in
            var env = env
            env.configuration.dialogue.otherDesks = [
                OtherDesk(id: "hr", names: [.ko: "피플팀", .ja: "ピープルチーム", .en: "People Team"],
                          reach: [.ko: "#ask-people", .ja: "#ask-people", .en: "#ask-people"],
                          examples: [.en: ["payroll question"]]),
            ]
            try await env.withServer { client, _ in
                let session = try await client.newSession()
                let answer = try await client.chat(session: session, text: "how many vacation days do I have left")
                #expect(answer.allText.contains("People Team") && answer.allText.contains("#ask-people"), "\(answer.allText)")
                #expect(answer.articleIDs.isEmpty)
                let person = try await client.press(session: session, action: "human")
                #expect(person.state == "escalating", "\(person.allText)")
            }
        }
    }
}
