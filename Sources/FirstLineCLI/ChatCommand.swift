import ArgumentParser
import FirstLineCore
import FirstLineServer
import FirstLineStore
import Foundation
import Logging

/// `firstline chat`: a conversation with the bot in the terminal, through the same pipeline as
/// every other channel (inbox, engine, store, outbox), on channel `terminal`.
struct ChatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "chat",
        abstract: "Talk to the bot in the terminal (type a button's number to press it, /quit to leave)."
    )

    @OptionGroup var paths: StoragePaths

    @Option(help: "Who you are to the bot (your terminal user by default).")
    var user: String?

    func run() async throws {
        let database = try paths.openDatabase()
        let parts = FirstLineApplication.makeParts(
            configuration: try paths.serverConfiguration(configFile: nil),
            dependencies: ServerDependencies(database: database, logger: Logger(label: "firstline.chat")))
        do {
            try await parts.library.reload()
        } catch {
            throw CommandFailure("\(error)")
        }
        let name = user ?? ProcessInfo.processInfo.environment["USER"] ?? "employee"
        let chat = TerminalChat(service: parts.conversations, database: database, user: name)
        print("FirstLine helpdesk — write your question (한국어 · 日本語 · English). /quit to leave.")
        await chat.run(lines: StandardInputLines()) { print($0) }
    }
}

/// Lines typed by the user, read without blocking the concurrency pool's threads for long.
struct StandardInputLines: AsyncSequence, AsyncIteratorProtocol {
    typealias Element = String
    mutating func next() async -> String? { readLine(strippingNewline: true) }
    func makeAsyncIterator() -> StandardInputLines { self }
}

/// The terminal conversation loop, separate from the command so tests can drive it.
struct TerminalChat {
    let service: ConversationService
    let database: AppDatabase
    let user: String

    func run<Lines: AsyncSequence>(lines: Lines, write: (String) -> Void) async where Lines.Element == String {
        var buttons: [ReplyButton] = []
        var counter = 0
        do {
            for try await raw in lines {
                let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
                if line == "/quit" || line == "/exit" { break }
                if line.isEmpty { continue }
                counter += 1
                let content: InboundMessage.Content
                if let number = Int(line), buttons.indices.contains(number - 1) {
                    content = .button(buttons[number - 1].action)
                    write("> \(buttons[number - 1].label)")
                } else {
                    content = .text(line)
                }
                let message = InboundMessage(
                    platform: .terminal, eventID: "\(user)-\(UUID().uuidString)-\(counter)", conversationKey: "terminal:\(user)",
                    userID: user, displayName: user, content: content)
                do {
                    guard let result = try await service.receive(message) else { continue }
                    for id in result.outboxIDs {
                        _ = try await database.markSending(id: id)
                        try await database.markSent(id: id, at: Date())
                    }
                    buttons = result.replies.last?.buttons ?? []
                    for reply in result.replies { write(Self.render(reply)) }
                    if let ticket = result.ticketNumber { write("(\(ticket) · \(result.phase.rawValue))") }
                } catch {
                    write("! \(error)")
                }
            }
        } catch {
            write("! input ended: \(error)")
        }
    }

    static func render(_ reply: Reply) -> String {
        var text = reply.text
        if !reply.buttons.isEmpty {
            text += "\n" + reply.buttons.enumerated().map { "[\($0.offset + 1)] \($0.element.label)" }.joined(separator: "  ")
        }
        return text
    }
}
