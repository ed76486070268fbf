import FirstLineCore
import Foundation
import Testing

@testable import FirstLineStore

@Suite("Directory and conversations")
struct DirectoryTests {
    @Test("find-or-create employee is idempotent per platform identity", arguments: StorageKind.tested)
    func findOrCreateEmployee(kind: StorageKind) async throws {
        // Given an empty directory
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database

        // When the same Slack user writes twice, and another user once
        let first = try await db.findOrCreateEmployee(platform: .slack, platformUserID: "U1", displayName: "Ana", at: Fixed.now)
        let again = try await db.findOrCreateEmployee(
            platform: .slack, platformUserID: "U1", displayName: "Ana Renamed", at: Fixed.later(seconds: 5))
        let other = try await db.findOrCreateEmployee(platform: .telegram, platformUserID: "U1", displayName: "Bo", at: Fixed.now)

        // Then the first user is one unchanged employee with one identity; the same id on another platform is someone else
        #expect(again == first)
        #expect(first.displayName == "Ana")
        #expect(other.id != first.id)
        #expect(try await store.count("employee") == 2)
        #expect(try await store.count("identity") == 2)
        #expect(try await db.employee(platform: .slack, platformUserID: "U1") == first)
        #expect(try await db.employee(platform: .line, platformUserID: "U1") == nil)
    }

    @Test("an identity can be linked to its employee, never moved to another", arguments: StorageKind.tested)
    func linkIdentity(kind: StorageKind) async throws {
        // Given Ana on Slack and Bo on Telegram
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let ana = try await db.findOrCreateEmployee(platform: .slack, platformUserID: "U1", displayName: "Ana", at: Fixed.now)
        let bo = try await db.findOrCreateEmployee(platform: .telegram, platformUserID: "42", displayName: "Bo", at: Fixed.now)

        // When Ana's web session is linked to her, twice
        _ = try await db.linkIdentity(platform: .web, platformUserID: "session-a", employeeID: ana.id!)
        _ = try await db.linkIdentity(platform: .web, platformUserID: "session-a", employeeID: ana.id!)

        // Then she has both identities, and moving Bo's identity to her is refused
        #expect(try await db.identities(employeeID: ana.id!).map(\.platform) == [.slack, .web])
        #expect(try await db.findOrCreateEmployee(platform: .web, platformUserID: "session-a", displayName: "x", at: Fixed.now) == ana)
        await #expect(throws: StoreError.duplicate(.identity, "telegram:42")) {
            try await db.linkIdentity(platform: .telegram, platformUserID: "42", employeeID: ana.id!)
        }
        await #expect(throws: StoreError.notFound(.employee, "999")) {
            try await db.linkIdentity(platform: .line, platformUserID: "L1", employeeID: 999)
        }
        #expect(try await db.identities(employeeID: bo.id!).count == 1)
    }

    @Test("profile updates are saved; unknown employees are reported", arguments: StorageKind.tested)
    func updateEmployee(kind: StorageKind) async throws {
        // Given an employee and their manager
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        var ana = try await db.findOrCreateEmployee(platform: .slack, platformUserID: "U1", displayName: "Ana", at: Fixed.now)
        let lead = try await db.findOrCreateEmployee(platform: .slack, platformUserID: "U2", displayName: "Lee", at: Fixed.now)

        // When her department, e-mail and manager are set
        ana.department = "Finance"
        ana.email = "ana@example.com"
        ana.managerEmployeeID = lead.id
        _ = try await db.updateEmployee(ana)

        // Then they are stored
        #expect(try await db.employee(id: ana.id!) == ana)
        var ghost = ana
        ghost.id = 999
        await #expect(throws: StoreError.notFound(.employee, "999")) { try await db.updateEmployee(ghost) }
    }

    @Test("find-or-create conversation is idempotent per platform channel", arguments: StorageKind.tested)
    func findOrCreateConversation(kind: StorageKind) async throws {
        // Given an employee
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let (employee, conversation) = try await db.makeEmployeeAndConversation()

        // When the same channel is looked up again, with a different initial state
        let again = try await db.findOrCreateConversation(
            platform: .slack, conversationKey: "D1", employeeID: employee.id!, initialState: "{}", at: Fixed.later(seconds: 9))
        let web = try await db.findOrCreateConversation(
            platform: .web, conversationKey: "D1", employeeID: employee.id!, initialState: "{}", at: Fixed.now)

        // Then the existing conversation comes back unchanged; another platform's key is another conversation
        #expect(again == conversation)
        #expect(web.id != conversation.id)
        #expect(try await store.count("conversation") == 2)
        #expect(try await db.conversation(platform: .slack, conversationKey: "D1") == conversation)
        #expect(try await db.conversation(id: conversation.id!) == conversation)
        await #expect(throws: StoreError.notFound(.employee, "999")) {
            try await db.findOrCreateConversation(platform: .web, conversationKey: "new", employeeID: 999, initialState: "{}", at: Fixed.now)
        }
    }

    @Test("messages come back in the order they were written", arguments: StorageKind.tested)
    func messagesInOrder(kind: StorageKind) async throws {
        // Given a conversation
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let db = store.database
        let (_, conversation) = try await db.makeEmployeeAndConversation()

        // When three lines are written at the same instant, and one later by an agent
        _ = try await db.commitTurn(TurnCommit(
            conversationID: conversation.id!, state: "{}", now: Fixed.now,
            messages: [
                NewMessage(direction: .inbound, author: .employee, text: "printer broken"),
                NewMessage(direction: .outbound, author: .bot, text: "Try this", payload: #"{"buttons":[]}"#),
                NewMessage(direction: .outbound, author: .bot, text: "Did it help?"),
            ]))
        _ = try await db.appendMessage(
            NewMessage(direction: .outbound, author: .agent, text: "On my way"), conversationID: conversation.id!,
            at: Fixed.later(seconds: 30))

        // Then the transcript keeps that order
        let messages = try await db.messages(conversationID: conversation.id!)
        #expect(messages.map(\.text) == ["printer broken", "Try this", "Did it help?", "On my way"])
        #expect(messages.map(\.author) == [.employee, .bot, .bot, .agent])
        #expect(messages[1].payload == #"{"buttons":[]}"#)
        await #expect(throws: StoreError.notFound(.conversation, "999")) {
            try await db.appendMessage(NewMessage(direction: .inbound, author: .employee, text: "x"), conversationID: 999, at: Fixed.now)
        }
    }
}
