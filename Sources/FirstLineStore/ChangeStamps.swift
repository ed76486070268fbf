import FirstLineCore
import Foundation
import GRDB
import PostgresNIO

/// What the console's live refresh asks every few seconds: one indexed number, not the queue.
public protocol ChangeStampRepository: Sendable {
    /// The id of the newest ticket history event (0 with none). Every new ticket, field change, reply,
    /// employee message on a ticket and SLA alarm writes an event, so the number moves with the queue.
    func latestTicketEventID() async throws -> Int64
}

extension AppDatabase: ChangeStampRepository {
    public func latestTicketEventID() async throws -> Int64 {
        try await read { db in try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM ticketEvent") ?? 0 }
    }
}

extension PostgresStore: ChangeStampRepository {
    public func latestTicketEventID() async throws -> Int64 {
        try await read { db in
            try await db.first("SELECT COALESCE(MAX(id), 0)::BIGINT FROM ticketEvent", { try $0.decode(Int64.self) }) ?? 0
        }
    }
}
