import FirstLineCore
import FirstLineServer
import Foundation
import HummingbirdTesting
import Testing

@testable import FirstLineStore

/// The chromium binary for the browser test, from `FIRSTLINE_TEST_CHROMIUM` (`.ci/run` sets it).
private let chromium = ProcessInfo.processInfo.environment["FIRSTLINE_TEST_CHROMIUM"].flatMap { $0.isEmpty ? nil : $0 }

/// The console in a real browser (issue: console, point 6): the real server on a loopback port with
/// seeded users and a web chat ticket, driven by Debian's headless Chromium over the DevTools protocol
/// (`Tests/Browser/console_walkthrough.py`, standard-library Python), one PNG per step saved under
/// `FIRSTLINE_SCREENSHOTS` (default `$TMPDIR/firstline-screenshots`; `.ci/run` prints the folder).
@Suite("console in a real browser (headless Chromium)")
struct BrowserTests {
    static let screenshots = ProcessInfo.processInfo.environment["FIRSTLINE_SCREENSHOTS"].flatMap { $0.isEmpty ? nil : $0 }
        ?? FileManager.default.temporaryDirectory.appendingPathComponent("firstline-screenshots").path

    static let expectedShots = ["01-login-en.png", "02-queue-en.png", "03-queue-ko.png", "04-ticket-ko.png",
                                "05-ticket-replied-live-ko.png", "06-web-chat.png", "07-intake-ko.png", "07b-intake-logged-ko.png", "08-reports-ja.png",
                                "09-gaps-ja.png", "10-gaps-en.png", "11-editor-from-gap-en.png",
                                "12-editor-preview-en.png", "13-articles-en.png", "14-article-history-en.png"]

    @Test("sign in, queue (en, ko), ticket, reply, live refresh, the reply in the web chat, intake, reports (ja), gaps",
          .enabled(if: chromium != nil, "browser test skipped: set FIRSTLINE_TEST_CHROMIUM=/usr/bin/chromium (.ci/run does)"),
          .timeLimit(.minutes(5)))
    func walkthrough() async throws {
        let binary = try #require(chromium)
        try await TestEnvironment.with { base in
            var env = base
            env.configuration.contentCheckInterval = nil
            // The editor publishes an article in the walk-through: on a private copy of the knowledge base.
            let knowledgeBase = env.folder.appendingPathComponent("KnowledgeBase", isDirectory: true)
            try FileManager.default.copyItem(at: Repository.knowledgeBase, to: knowledgeBase)
            env.configuration.knowledgeBase = knowledgeBase
            try await env.withServer(.live) { client, database in
                let port = try #require(client.port)
                let agentToken = try await issueToken(database, name: "ana", role: .agent)
                let editorToken = try await issueToken(database, name: "ed", role: .editor)
                var kim = try await database.findOrCreateEmployee(displayName: "김민지", email: "minji@example.com",
                                                                  at: TestEnvironment.start)
                kim.department = "재무팀"
                kim = try await database.updateEmployee(kim)

                // An employee's web chat that became a ticket, with hostile text in it.
                try await database.issueChatSessions(["browser-employee", "gap-0", "gap-1", "gap-2", "gap-3"])
                _ = try await client.chat(session: "browser-employee",
                                          text: #"프린터에서 종이가 계속 걸려요 <script>alert(1)</script>"#)
                var answer = try await client.press(session: "browser-employee", action: "human")
                if answer.ticket == nil { answer = try await client.press(session: "browser-employee", action: "blocks:yes") }
                let number = try #require(answer.ticket)
                // Questions the knowledge base has no answer for, in three languages, for the gap report.
                for (index, text) in ["where can I get a parking permit", "my parking permit expired", "주차 등록은 어디서 하나요",
                                      "駐車場の許可証はどこでもらえますか"].enumerated() {
                    _ = try await client.chat(session: "gap-\(index)", text: text)
                }

                let reply = "용지함 2를 열고 걸린 종이를 빼 주세요. 5분 뒤 다시 확인할게요."
                let result = try await Self.runWalkthrough(environment: [
                    "FIRSTLINE_BROWSER_BASE": "http://localhost:\(port)",
                    "FIRSTLINE_BROWSER_AGENT_TOKEN": agentToken,
                    "FIRSTLINE_BROWSER_EDITOR_TOKEN": editorToken,
                    "FIRSTLINE_BROWSER_TICKET": number,
                    "FIRSTLINE_BROWSER_CHAT_SESSION": "browser-employee",
                    "FIRSTLINE_BROWSER_REPLY": reply,
                    "FIRSTLINE_SCREENSHOTS": Self.screenshots,
                    "FIRSTLINE_TEST_CHROMIUM": binary,
                ])
                #expect(result.status == 0, "the browser walk-through failed:\n\(result.log)")

                // What the browser did reached the store: the agent's reply in the employee's transcript,
                // written to the ticket's history by the agent, and the note live refresh showed.
                #expect(try await database.transcript(session: "browser-employee").contains { $0.author == .agent && $0.text.contains(reply) })
                let history = try await database.history(number: number)
                #expect(history.contains { $0.kind == .message && $0.actor == .agent("ana") && $0.note == reply })
                #expect(history.contains { $0.kind == .note && $0.note?.hasPrefix("Live:") == true })
                let visits = try await database.tickets(createdFrom: TestEnvironment.start.addingTimeInterval(-60),
                                                        to: TestEnvironment.start.addingTimeInterval(60)).filter { $0.channel == .visit }
                #expect(visits.map(\.subject) == ["모니터가 켜지지 않아요 (방문)"] && visits.first?.requesterID == kim.id)
                for name in Self.expectedShots {
                    let data = FileManager.default.contents(atPath: Self.screenshots + "/" + name) ?? Data()
                    #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]) && data.count > 5_000, "\(name) is a PNG")
                }
            }
        }
    }

    /// Runs the Python driver to its end (a real browser's wall-clock time), without blocking a thread
    /// of the server's executor while it waits.
    static func runWalkthrough(environment: [String: String]) async throws -> (status: Int32, log: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Repository.root.appendingPathComponent("Tests/Browser/console_walkthrough.py").path]
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("firstline-browser-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? FileManager.default.removeItem(at: log) }
        process.standardError = handle
        process.standardOutput = handle
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        try? handle.close()
        let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        print(text)
        return (status, text)
    }
}
