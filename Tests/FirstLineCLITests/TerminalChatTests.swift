import FirstLineCore
import FirstLineServer
import FirstLineStore
import Foundation
import Logging
import Testing

@testable import FirstLineCLI

/// `firstline chat`'s loop (`TerminalChat`), driven by scripted input through the real pipeline:
/// a `ConversationService` on the shipped content and a SQLite file in a temporary folder.
@Suite("terminal chat")
struct TerminalChatTests {
    @Test("a question, a button number and an answer end in a ticket; /quit stops reading")
    func questionToTicket() async throws {
        try await TerminalChatHarness.with { harness in
            let talkToPerson = DialogueStrings(.en).label(for: .talkToPerson)
            let blocksWork = DialogueStrings(.en).label(for: .blocksWork(true))
            let output = try await harness.run([
                .line("printer is jammed"),
                .button(labelled: talkToPerson),
                .button(labelled: blocksWork),
                .line("my tickets"),
                .line("/quit"),
                .line("printer is jammed"),   // after /quit: must never be read
            ])

            let title = try #require(try await harness.articleTitle("printer-paper-jam", .en))
            #expect(output.text.contains(title), "\(output.text)")
            // Buttons are numbered, and a number presses one (echoed with its label).
            #expect(output.text.contains("[1] \(DialogueStrings(.en).label(for: .solved(articleID: "x")))"))
            #expect(output.lines.contains("> \(talkToPerson)"))
            #expect(output.lines.contains("> \(blocksWork)"))

            let numbers = output.text.matches(of: #/HD-\d{6}/#).map { String($0.output) }
            let number = try #require(numbers.first, "no ticket number in: \(output.text)")
            #expect(numbers.allSatisfy { $0 == number })
            #expect(output.lines.contains("(\(number) · ticketOpen)"))
            // "my tickets" while the ticket is open lists it.
            let statusReply = try #require(output.lines.last { $0.contains(DialogueStrings(.en).openTicketsHeader) })
            #expect(statusReply.contains(number))

            // /quit ended the loop: the line after it was never pulled from the input.
            #expect(output.linesRead == 5)

            // Everything went through the store, on channel "terminal", and was delivered.
            let ticket = try #require(try await harness.database.ticket(number: number))
            #expect(ticket.channel == .terminal)
            #expect(ticket.priority == .p2)
            let conversation = try #require(
                try await harness.database.conversation(platform: .terminal, conversationKey: "terminal:\(harness.user)"))
            let messages = try await harness.database.messages(conversationID: try #require(conversation.id))
            #expect(messages.first?.text == "printer is jammed")
            #expect(messages.contains { $0.text == "my tickets" })
            #expect(!messages.contains { $0.text == "/quit" })
            #expect(try await harness.database.pendingCount() == 0, "the replies were printed, so they are sent")
        }
    }

    @Test("Solved by number closes the topic")
    func solvedByNumber() async throws {
        try await TerminalChatHarness.with { harness in
            let output = try await harness.run([
                .line("パスワードを忘れました"),
                .button(labelled: DialogueStrings(.ja).label(for: .solved(articleID: "password-reset"))),
                .line("/quit"),
            ])
            let title = try #require(try await harness.articleTitle("password-reset", .ja))
            #expect(output.text.contains(title))
            #expect(output.text.contains(DialogueStrings(.ja).solved))
            #expect(!output.text.contains("HD-"))
        }
    }

    @Test("/quit first stores nothing; blank lines are skipped")
    func quitAtOnce() async throws {
        try await TerminalChatHarness.with { harness in
            let output = try await harness.run([.line("   "), .line(""), .line("/quit"), .line("printer is jammed")])
            #expect(output.lines.isEmpty, "\(output.lines)")
            #expect(output.linesRead == 3)
            #expect(try await harness.database.conversation(platform: .terminal, conversationKey: "terminal:\(harness.user)") == nil)
        }
    }

    @Test("the end of the input ends the chat; a failing input is reported")
    func endOfInput() async throws {
        try await TerminalChatHarness.with { harness in
            let output = try await harness.run([.line("printer is jammed")])
            #expect(output.linesRead == 1)
            #expect(output.text.contains("Printer"))

            let failing = ChatOutput()
            await harness.chat.run(lines: FailingLines()) { failing.append($0) }
            #expect(failing.lines.count == 1)
            #expect(failing.lines.first?.hasPrefix("! input ended") == true)
        }
    }
}

// MARK: - Harness

/// A real `ConversationService` on the shipped content and a temporary SQLite file.
struct TerminalChatHarness {
    let database: AppDatabase
    let parts: FirstLineApplication.Parts
    let user = "alice"
    var chat: TerminalChat { TerminalChat(service: parts.conversations, database: database, user: user) }

    static func with(_ body: (TerminalChatHarness) async throws -> Void) async throws {
        let folder = try TemporaryFolder("terminal-chat")
        let database = try AppDatabase.open(path: folder.url.appendingPathComponent("firstline.sqlite").path)
        defer { try? database.close() }
        var configuration = ServerConfiguration()
        configuration.knowledgeBase = URL(fileURLWithPath: Repository.knowledgeBase)
        configuration.intents = URL(fileURLWithPath: Repository.intents)
        let clock = ManualClock(Date(timeIntervalSince1970: 1_741_050_000))
        let logger = Logger(label: "firstline.tests", factory: { _ in SwiftLogNoOpLogHandler() })
        let parts = FirstLineApplication.makeParts(
            configuration: configuration, dependencies: ServerDependencies(database: database, clock: clock, logger: logger))
        try await parts.library.reload()
        try await body(TerminalChatHarness(database: database, parts: parts))
    }

    func articleTitle(_ id: String, _ language: Language) async throws -> String? {
        try await parts.library.current().content.article(id: id, language: language)?.title
    }

    /// Runs the chat on `script`, each step computed from what was printed so far.
    func run(_ script: [ScriptedLines.Step]) async throws -> ChatOutput {
        let output = ChatOutput()
        await chat.run(lines: ScriptedLines(steps: script, output: output)) { output.append($0) }
        return output
    }
}

/// What the chat printed, and how many input lines it read.
final class ChatOutput: @unchecked Sendable {
    private let lock = NSLock()
    private var written: [String] = []
    private var read = 0

    func append(_ text: String) { lock.withLock { written.append(text) } }
    func countRead() { lock.withLock { read += 1 } }

    var lines: [String] { lock.withLock { written } }
    var text: String { lines.joined(separator: "\n") }
    var linesRead: Int { lock.withLock { read } }
}

/// Input lines typed by a scripted employee, who reads the screen before typing the next one.
struct ScriptedLines: AsyncSequence {
    typealias Element = String

    enum Step: Sendable {
        /// Types this line.
        case line(String)
        /// Types the number shown next to the button with this label in the latest buttons row.
        case button(labelled: String)

        func line(after output: String) -> String {
            switch self {
            case let .line(text):
                return text
            case let .button(label):
                // Rows look like "[1] Solved  [2] Still broken  [3] Talk to a person".
                let row = output.split(separator: "\n").last { $0.hasPrefix("[1] ") } ?? ""
                for match in row.matches(of: #/\[(\d+)\] /#) {
                    let rest = row[match.range.upperBound...]
                    if rest.hasPrefix(label + "  ") || rest == label { return String(match.output.1) }
                }
                Issue.record("no button '\(label)' in: \(row)")
                return "/quit"
            }
        }
    }

    let steps: [Step]
    let output: ChatOutput

    struct AsyncIterator: AsyncIteratorProtocol {
        var steps: ArraySlice<Step>
        let output: ChatOutput

        mutating func next() async -> String? {
            guard let step = steps.popFirst() else { return nil }
            output.countRead()
            return step.line(after: output.text)
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(steps: steps[...], output: output) }
}

/// Input that fails, like a closed terminal.
struct FailingLines: AsyncSequence {
    typealias Element = String
    struct Broken: Error {}

    struct AsyncIterator: AsyncIteratorProtocol {
        mutating func next() async throws -> String? { throw Broken() }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator() }
}
