import FirstLineCore
import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import FirstLineStore

/// Migration v16-web-session-keys (issue 15, point 4): a database written before it, where the web chat
/// session (a bearer secret) was the conversation's key, keeps every chat after the upgrade under
/// `WebChatKey.conversationKey(session)`, with no session left in its rows. SQLite and PostgreSQL alike.
@Suite("migration v16: web sessions are filed under their hash")
struct WebSessionKeyMigrationTests {
    static let session = "legacy-session-7f3a"
    static let migration = "v16-web-session-keys"

    @Test("conversation, identity, inbox (with its payload) and outbox rows move to the hashed key; others stay",
          arguments: StorageKind.tested)
    func renamesLegacyRows(kind: StorageKind) async throws {
        let store = try await TestStore(kind)
        defer { store.cleanUp() }
        let database = store.database
        // Rows as a version before v16 wrote them: the session itself everywhere.
        let employee = try await database.findOrCreateEmployee(platform: .web, platformUserID: Self.session,
                                                               displayName: "Web chat", at: Fixed.now)
        let signOn = try await database.findOrCreateEmployee(platform: .web, platformUserID: "sign-on:ana",
                                                             displayName: "ana", at: Fixed.now)
        let web = try await database.findOrCreateConversation(platform: .web, conversationKey: Self.session,
                                                              employeeID: employee.id!, initialState: "{}", at: Fixed.now)
        let slack = try await database.findOrCreateConversation(platform: .slack, conversationKey: "D1",
                                                                employeeID: employee.id!, initialState: "{}", at: Fixed.now)
        let payload = #"{"platform":"web","eventID":"e1","channelKey":"\#(Self.session)","userID":"\#(Self.session)","displayName":"Web chat","content":{"text":{"_0":"hi"}}}"#
        #expect(try await database.record(platform: .web, eventID: "e1", conversationKey: Self.session, payload: payload,
                                          receivedAt: Fixed.now))
        #expect(try await database.record(platform: .web, eventID: "e2", conversationKey: Self.session, payload: "not json",
                                          receivedAt: Fixed.now))
        #expect(try await database.enqueue(NewOutboxMessage(platform: .web, conversationKey: Self.session,
                                                            idempotencyKey: "reply-1", payload: "{}"), at: Fixed.now))

        // When v16 runs on them (its record removed, then the migrations run again, as at an upgrade)
        if let sqlite = store.sqlite {
            try await sqlite.dbWriter.write { db in
                try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = ?", arguments: [Self.migration])
            }
            try AppDatabase.migrator.migrate(sqlite.dbWriter)
        } else if let postgres = store.postgres {
            try await postgres.write { db in try await db.execute("DELETE FROM firstlineMigration WHERE identifier = \(Self.migration)") }
            try await postgres.migrate()
        }

        // Then the chat is found under the hashed key only, and nothing else moved
        let key = WebChatKey.conversationKey(Self.session)
        #expect(key.hasPrefix("s256:") && key.count == 5 + 64)
        #expect(try await database.conversation(platform: .web, conversationKey: key)?.id == web.id)
        #expect(try await database.conversation(platform: .web, conversationKey: Self.session) == nil)
        #expect(try await database.employee(platform: .web, platformUserID: key)?.id == employee.id)
        #expect(try await database.employee(platform: .web, platformUserID: Self.session) == nil)
        #expect(try await database.employee(platform: .web, platformUserID: "sign-on:ana")?.id == signOn.id)
        #expect(try await database.conversation(platform: .slack, conversationKey: "D1")?.id == slack.id)
        #expect(try await database.pending(platform: .web, conversationKey: key).map(\.idempotencyKey) == ["reply-1"])
        let event = try #require(try await database.inboxEvent(platform: .web, eventID: "e1"))
        #expect(event.conversationKey == key && !event.payload.contains(Self.session))
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(event.payload.utf8)) as? [String: Any])
        #expect(fields["channelKey"] as? String == key && fields["userID"] as? String == key)
        #expect(fields["content"] != nil, "the rest of the payload is kept")
        // A payload that is not JSON keeps its text, and its row is renamed all the same.
        let odd = try #require(try await database.inboxEvent(platform: .web, eventID: "e2"))
        #expect(odd.conversationKey == key && odd.payload == "not json")
    }
}
