import FirstLineCore
import FirstLineServer
import FirstLineStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// One employee's problem in one language, from the first question to the ticket.
struct JourneyCase: Sendable, CustomTestStringConvertible {
    enum Script: Sendable {
        case hangul, kana, latin

        /// Whether `text` is written in this script (the bot answers in the employee's language).
        func isUsed(in text: String) -> Bool {
            let hangul = text.unicodeScalars.contains { (0xAC00...0xD7A3).contains($0.value) }
            let kana = text.unicodeScalars.contains { (0x3040...0x30FF).contains($0.value) }
            switch self {
            case .hangul: return hangul
            case .kana: return kana
            case .latin: return !hangul && !kana
            }
        }
    }

    /// How "is this stopping you from working?" is answered.
    enum BlocksAnswer: Sendable {
        case button
        case text(String)
    }

    var language: String
    var question: String
    var article: String
    var script: Script
    /// Sent when the bot asks for a one-line description.
    var description: String
    var blocksAnswer: BlocksAnswer
    /// Written once the ticket is open: goes to the ticket, no reply.
    var followUp: String
    /// Asks for the ticket status.
    var statusQuestion: String

    var testDescription: String { language }

    static let korean = JourneyCase(
        language: "ko", question: "VPN이 안 돼요", article: "vpn-connect", script: .hangul,
        description: "재택근무 중에 회사 VPN 연결이 계속 실패해요", blocksAnswer: .text("네"),
        followUp: "집 인터넷을 바꿔서 다시 해 봤는데 똑같아요", statusQuestion: "내 티켓 상태 알려줘")

    static let japanese = JourneyCase(
        language: "ja", question: "パスワードを忘れました", article: "password-reset", script: .kana,
        description: "パスワードが分からずログインできません", blocksAnswer: .button,
        followUp: "別のパソコンからも試しましたが同じでした", statusQuestion: "私のチケットの状況を教えて")

    static let english = JourneyCase(
        language: "en", question: "printer is jammed", article: "printer-paper-jam", script: .latin,
        description: "The printer on the third floor keeps jamming", blocksAnswer: .text("yes"),
        followUp: "I removed the tray and the light still blinks orange", statusQuestion: "my tickets")

    static let all = [korean, japanese, english]
}

/// What the escalation journey produced.
struct JourneyOutcome: Sendable {
    var ticket: String
    /// Every answer of the journey, in order.
    var answers: [ChatAnswer]
}

enum Journey {
    /// Asks the question and requires that the expected article is offered: shown at once, or among
    /// the choices, in which case it is chosen. Returns the answer that shows it.
    static func ask(_ journey: JourneyCase, session: String, client: any TestClientProtocol,
                    sourceLocation: SourceLocation = #_sourceLocation) async throws -> [ChatAnswer] {
        let first = try await client.chat(session: session, text: journey.question, sourceLocation: sourceLocation)
        #expect(first.ticket == nil, sourceLocation: sourceLocation)
        if first.shownArticle == journey.article {
            #expect(first.state == DialoguePhase.suggesting.rawValue, sourceLocation: sourceLocation)
            #expect(first.replies.first?.articles.first?.id == journey.article, sourceLocation: sourceLocation)
            return [first]
        }
        // Choices: the right article must be one of them.
        let choose = "choose:\(journey.article)"
        try #require(first.buttons.contains { $0.action == choose } && first.articleIDs.contains(journey.article),
                     "'\(journey.question)' offered \(first.articleIDs) with \(first.buttons.map(\.action))",
                     sourceLocation: sourceLocation)
        let chosen = try await client.press(session: session, action: choose, sourceLocation: sourceLocation)
        #expect(chosen.shownArticle == journey.article, sourceLocation: sourceLocation)
        #expect(chosen.replies.first?.articles.first?.id == journey.article, sourceLocation: sourceLocation)
        return [first, chosen]
    }

    /// The whole escalation: ask, press "Still broken" on every article shown until the bot hands
    /// over, answer what it asks, and return the ticket it opened.
    static func escalate(_ journey: JourneyCase, session: String, client: any TestClientProtocol,
                         sourceLocation: SourceLocation = #_sourceLocation) async throws -> JourneyOutcome {
        var answers = try await ask(journey, session: session, client: client, sourceLocation: sourceLocation)
        var shown: [String] = []

        // "Still broken" until the bot stops offering articles (bounded: the KB offers a few at most).
        for _ in 0..<10 {
            let last = answers[answers.count - 1]
            guard last.state == DialoguePhase.suggesting.rawValue, let article = last.shownArticle else { break }
            #expect(!shown.contains(article), "\(article) was shown twice", sourceLocation: sourceLocation)
            shown.append(article)
            answers.append(try await client.press(session: session, action: "broken:\(article)",
                                                  sourceLocation: sourceLocation))
        }
        try #require(answers.last?.state == DialoguePhase.escalating.rawValue,
                     "after Still broken on \(shown): \(answers.last?.state ?? "-")", sourceLocation: sourceLocation)

        // Answer the bot's questions, by button or by text, as the replies ask.
        for _ in 0..<4 {
            let last = answers[answers.count - 1]
            guard last.state == DialoguePhase.escalating.rawValue else { break }
            #expect(last.ticket == nil, sourceLocation: sourceLocation)
            #expect(journey.script.isUsed(in: last.allText), "not in \(journey.language): \(last.allText)",
                    sourceLocation: sourceLocation)
            if last.buttons.contains(where: { $0.action == "blocks:yes" }) {
                switch journey.blocksAnswer {
                case .button:
                    answers.append(try await client.press(session: session, action: "blocks:yes",
                                                          sourceLocation: sourceLocation))
                case let .text(yes):
                    answers.append(try await client.chat(session: session, text: yes, sourceLocation: sourceLocation))
                }
            } else {
                answers.append(try await client.chat(session: session, text: journey.description,
                                                     sourceLocation: sourceLocation))
            }
        }

        let final = try #require(answers.last)
        #expect(final.state == DialoguePhase.ticketOpen.rawValue, sourceLocation: sourceLocation)
        let ticket = try #require(final.ticket, "no ticket after \(answers.map(\.state))", sourceLocation: sourceLocation)
        #expect(ticket.wholeMatch(of: ticketNumberPattern) != nil, "\(ticket)", sourceLocation: sourceLocation)
        #expect(ticketNumbers(in: final.allText).contains(ticket), "\(final.allText)", sourceLocation: sourceLocation)
        #expect(!final.allText.contains("{{"), "an unresolved placeholder: \(final.allText)", sourceLocation: sourceLocation)
        #expect(journey.script.isUsed(in: final.allText), "not in \(journey.language): \(final.allText)",
                sourceLocation: sourceLocation)
        return JourneyOutcome(ticket: ticket, answers: answers)
    }
}
