import FirstLineCore
import FirstLineServer
import FirstLineStore
import Foundation
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 17 through the web chat API with the shipped content and a real SQLite file: the
/// locked-out employee gets the lockout article, urgency and danger are recognised in ko, ja and
/// en, and a ticket carries the problem at hand.
@Suite("web chat: escalations that make sense")
struct EscalationChatTests {
    @Test("a locked account gets the lockout article, not a service request held for approval", arguments: [
        (Language.en, "cant login, i think my acount is locked"), (.ko, "계정이 잠겨서 로그인이 안 돼요"),
        (.ja, "アカウントがロックされてログインできない"),
    ])
    func lockedAccount(_ language: Language, _ text: String) async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, database in
                let answer = try await client.chat(session: try await client.newSession(), text: text)
                #expect(answer.articleIDs.first == "account-lockout", "\(answer.allText)")
                #expect(answer.ticket == nil)
                #expect(try await RowCounts.of(database)["ticket"] == 0)
            }
        }
    }

    @Test("a problem said to be urgent is a P1 ticket at once", arguments: [
        (Language.ja, "急ぎ！会議室のプロジェクターが映らない"), (.en, "urgent! the meeting room projector shows nothing"),
        (.ko, "급해요! 회의실 프로젝터 화면이 안 나와요"),
    ])
    func urgentProblem(_ language: Language, _ text: String) async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, database in
                let answer = try await client.chat(session: try await client.newSession(), text: text)
                let number = try #require(answer.ticket, "\(answer.allText)")
                let ticket = try #require(try await database.ticket(number: number))
                #expect(ticket.priority == .p1)
                #expect(answer.articleIDs == ["meeting-room-equipment"], "the article comes while waiting")
                #expect(LanguageDetector().detect(answer.allText) == language)
            }
        }
    }

    @Test("'urgent' on an open ticket raises its priority, with a history event and an answer", arguments: [
        (Language.ko, "VPN 연결이 안 돼요", "제발 빨리요… 일을 못 하고 있어요"),
        (.ja, "VPNにつながりません", "急ぎです、業務が止まっています"),
        (.en, "VPN won't connect", "this is urgent, I can't work"),
    ])
    func raisesOpenTicket(_ language: Language, _ problem: String, _ urgent: String) async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, database in
                let session = try await client.newSession()
                _ = try await client.chat(session: session, text: problem)
                _ = try await client.press(session: session, action: "human")
                let filed = try await client.press(session: session, action: "blocks:no")
                let number = try #require(filed.ticket, "\(filed.allText)")
                #expect(try await database.ticket(number: number)?.priority == .p3)

                env.clock.advance(by: 600)
                let answer = try await client.chat(session: session, text: urgent)
                #expect(answer.allText.contains(number), "\(answer.allText)")
                #expect(LanguageDetector().detect(answer.allText) == language)
                let ticket = try #require(try await database.ticket(number: number))
                #expect(ticket.priority == .p1)
                // Targets follow the priority, counted from the opening.
                #expect(ticket.firstResponseDueAt.map { $0 < TestEnvironment.start.addingTimeInterval(3 * 3600) } == true)
                let raised = try await database.history(number: number).filter { $0.kind == .priority }
                #expect(raised.count == 1)
                #expect(raised.first?.before == "P3" && raised.first?.after == "P1")
            }
        }
    }

    @Test("a password typed on a suspicious page is a P1 security ticket at once", arguments: [
        (Language.en, "clicked a weird link and typed my password"),
        (.ko, "이상한 링크를 눌러서 비밀번호를 입력했어요"),
        (.ja, "怪しいリンクを開いてパスワードを入力してしまった"),
    ])
    func dangerSign(_ language: Language, _ text: String) async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, database in
                let answer = try await client.chat(session: try await client.newSession(), text: text)
                let number = try #require(answer.ticket, "\(answer.allText)")
                let ticket = try #require(try await database.ticket(number: number))
                #expect(ticket.priority == .p1)
                #expect(ticket.category == .security)
                #expect(answer.articleIDs == ["phishing-report"], "the first steps are shown")
                #expect(!answer.replies.flatMap(\.buttons).contains { $0.action.hasPrefix("solved:") })
                #expect(LanguageDetector().detect(answer.allText) == language)
            }
        }
    }

    @Test("the ticket's transcript starts with the problem at hand, not an earlier solved topic", arguments: [
        (Language.en, "outlook keeps asking for my password", "excel macros are blocked"),
        (.ko, "아웃룩이 계속 비밀번호를 물어봐요", "엑셀 매크로가 차단됐어요"),
        (.ja, "Outlookがパスワードを何度も聞いてくる", "Excelのマクロがブロックされる"),
    ])
    func transcriptOfTheProblem(_ language: Language, _ earlier: String, _ problem: String) async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, database in
                let session = try await client.newSession()
                var first = try await client.chat(session: session, text: earlier)
                if first.shownArticle == nil, let choice = first.articleIDs.first {
                    first = try await client.press(session: session, action: "choose:\(choice)")
                }
                let solvedArticle = try #require(first.shownArticle, "\(first.allText)")
                _ = try await client.press(session: session, action: "solved:\(solvedArticle)")
                env.clock.advance(by: 120)
                let second = try await client.chat(session: session, text: problem)
                #expect(second.shownArticle == "excel-macro-security", "\(second.allText)")
                _ = try await client.press(session: session, action: "human")
                let filed = try await client.press(session: session, action: "blocks:no")
                let number = try #require(filed.ticket, "\(filed.allText)")
                let ticket = try #require(try await database.ticket(number: number))
                #expect(ticket.subject == problem)
                #expect(ticket.category == .security)
                // The ticket's first history event carries the transcript it was opened with.
                let transcript = try await database.history(number: number).first?.note ?? ""
                #expect(transcript.contains(problem))
                #expect(!transcript.contains(earlier), "\(transcript)")
                // The earlier topic is still in the conversation's history.
                #expect(try await database.transcript(session: session).contains { $0.text == earlier })
            }
        }
    }

    @Test("web chat replies carry escaped HTML with the article's formatting; the text stays as written")
    func replyHTML() async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, _ in
                let response = try await client.postChat(JSON.string(["session": try await client.newSession(), "text": "VPN won't connect"]))
                let body = try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any]
                let replies = try #require(body?["replies"] as? [[String: Any]])
                let html = replies.compactMap { $0["html"] as? String }
                #expect(html.count == replies.count, "every reply has html")
                #expect(!html.joined().contains("<script"))
                #expect(html.allSatisfy { !$0.contains("**") }, "no raw Markdown markers")
            }
        }
    }
}
