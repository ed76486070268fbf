import FirstLineCore
import FirstLineServer
import FirstLineStore
import Foundation
import Testing

/// Issue 16, point 2, through the web chat API with the shipped content: with a ticket open, a
/// different problem is offered as new instead of being merged into the ticket.
@Suite("web chat: a new problem while a ticket is open")
struct NewProblemChatTests {
    @Test("asked, then handled separately or added, as the employee says", arguments: [
        (Language.ko, "VPN 연결이 안 돼요", "키보드가 갑자기 안 돼요"),
        (.ja, "VPNにつながりません", "キーボードが急に使えなくなった"),
        (.en, "VPN won't connect", "my keyboard suddenly stopped working"),
    ])
    func offered(_ language: Language, _ problem: String, _ other: String) async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, database in
                let session = try await client.newSession()
                _ = try await client.chat(session: session, text: problem)
                _ = try await client.press(session: session, action: "human")
                let filed = try await client.press(session: session, action: "blocks:no")
                let number = try #require(filed.ticket)
                let historyBefore = try await database.history(number: number).count

                let asked = try await client.chat(session: session, text: other)
                #expect(asked.buttons.map(\.action) == ["separate", "append"], "\(asked.allText)")
                #expect(asked.allText.contains(number))
                #expect(LanguageDetector().detect(asked.allText) == language)
                #expect(try await database.history(number: number).count == historyBefore, "nothing merged yet")

                let separate = try await client.press(session: session, action: "separate")
                #expect(separate.articleIDs.contains("keyboard-mouse"), "the keyboard article, alone or as a choice: \(separate.allText)")
                #expect(try await database.history(number: number).count == historyBefore)
                #expect(try await database.ticket(number: number)?.status.isOpen == true, "the VPN ticket stays open")

                // The same again, added this time.
                let session2 = try await client.newSession()
                _ = try await client.chat(session: session2, text: problem)
                _ = try await client.press(session: session2, action: "human")
                let filed2 = try #require(try await client.press(session: session2, action: "blocks:no").ticket)
                _ = try await client.chat(session: session2, text: other)
                let added = try await client.press(session: session2, action: "append")
                #expect(added.allText.contains(filed2))
                let notes = try await database.history(number: filed2).compactMap(\.note)
                #expect(notes.contains(other), "\(notes)")
            }
        }
    }
}
