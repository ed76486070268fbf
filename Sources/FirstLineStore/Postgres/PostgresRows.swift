import FirstLineCore
import Foundation
import PostgresNIO

// How each record is read from a row. Every SELECT of a record names the columns of its `…Columns` list, in
// that order, and the decoder reads them by position: the lists are written once here, next to the decoders.

enum PostgresRows {
    static let employeeColumns = "id, displayName, email, department, managerEmployeeID, directoryID, createdAt"

    static func employee(_ row: PostgresRow) throws -> Employee {
        let (id, name, email, department, manager, directoryID, createdAt) =
            try row.decode((Int64, String, String?, String?, Int64?, String?, Date).self)
        return Employee(id: id, displayName: name, email: email, department: department, managerEmployeeID: manager,
                        directoryID: directoryID, createdAt: createdAt)
    }

    static func identity(_ row: PostgresRow) throws -> Identity {
        let (platform, userID, employeeID) = try row.decode((String, String, Int64).self)
        return Identity(platform: try raw(platform), platformUserID: userID, employeeID: employeeID)
    }

    static let conversationColumns = "id, platform, channelKey, employeeID, state, language, createdAt, updatedAt"

    static func conversation(_ row: PostgresRow) throws -> Conversation {
        let (id, platform, key, employeeID, state, language, createdAt, updatedAt) =
            try row.decode((Int64, String, String, Int64, String, String?, Date, Date).self)
        return Conversation(id: id, platform: try raw(platform), conversationKey: key, employeeID: employeeID, state: state,
                            language: try language.map(raw), createdAt: createdAt, updatedAt: updatedAt)
    }

    static let messageColumns = "id, conversationID, direction, author, text, payload, createdAt"

    static func message(_ row: PostgresRow) throws -> ConversationMessage {
        let (id, conversationID, direction, author, text, payload, createdAt) =
            try row.decode((Int64, Int64, String, String, String, String?, Date).self)
        return ConversationMessage(id: id, conversationID: conversationID, direction: try raw(direction), author: try raw(author),
                                   text: text, payload: payload, createdAt: createdAt)
    }

    static let suggestionColumns = "id, conversationID, employeeID, articleID, query, shownAt, feedback, feedbackAt"

    static func suggestion(_ row: PostgresRow) throws -> Suggestion {
        let (id, conversationID, employeeID, articleID, query, shownAt, feedback, feedbackAt) =
            try row.decode((Int64, Int64, Int64, String, String, Date, String?, Date?).self)
        return Suggestion(id: id, conversationID: conversationID, employeeID: employeeID, articleID: articleID, query: query,
                          shownAt: shownAt, feedback: try feedback.map(raw), feedbackAt: feedbackAt)
    }

    static let incidentColumns = """
        id, topic, status, reporters, reports, normalLevel, firstReportAt, raisedAt, decidedAt, decidedBy, resolvedAt, \
        notice, resolutionNote, resolvedBy
        """

    static func incident(_ row: PostgresRow) throws -> Incident {
        let (id, topic, status, reporters, reports, normal, first, raised, decidedAt, decidedBy, resolvedAt, notice, note, resolvedBy) =
            try row.decode((Int64, String, String, Int, Int, Double, Date, Date, Date?, String?, Date?, String?, String?, String?).self)
        return Incident(id: id, topic: topic, status: try raw(status), reporters: reporters, reports: reports,
                        normalLevel: normal, firstReportAt: first, raisedAt: raised, decidedAt: decidedAt,
                        decidedBy: decidedBy, resolvedAt: resolvedAt, notice: try IncidentNote.decode(json: notice),
                        resolutionNote: try IncidentNote.decode(json: note), resolvedBy: resolvedBy)
    }

    static let incidentLinkColumns = "id, incidentID, conversationID, ticketID, text, linkedAt, linkedBy, unlinkedAt, notifiedAt"

    static func incidentLink(_ row: PostgresRow) throws -> IncidentLink {
        let (id, incidentID, conversationID, ticketID, text, linkedAt, linkedBy, unlinkedAt, notifiedAt) =
            try row.decode((Int64, Int64, Int64?, Int64?, String?, Date, String, Date?, Date?).self)
        return IncidentLink(id: id, incidentID: incidentID, conversationID: conversationID, ticketID: ticketID, text: text,
                            linkedAt: linkedAt, linkedBy: linkedBy, unlinkedAt: unlinkedAt, notifiedAt: notifiedAt)
    }

    static let learnedPhraseColumns = "id, articleID, text, weight, createdAt"

    static func learnedPhrase(_ row: PostgresRow) throws -> LearnedPhrase {
        let (id, articleID, text, weight, createdAt) = try row.decode((Int64, String, String, Double, Date).self)
        return LearnedPhrase(id: id, articleID: articleID, text: text, weight: weight, createdAt: createdAt)
    }

    static let ticketColumns = """
        id, number, requesterID, conversationID, channel, subject, category, priority, status, team, assignee, \
        firstResponseDueAt, resolutionDueAt, firstRespondedAt, resolvedAt, rating, createdAt, updatedAt
        """

    static func ticket(_ row: PostgresRow) throws -> Ticket {
        let (id, number, requesterID, conversationID, channel, subject, category, priority, status, team, assignee,
             firstResponseDueAt, resolutionDueAt, firstRespondedAt, resolvedAt, rating, createdAt, updatedAt) =
            try row.decode((Int64, String, Int64, Int64?, String, String, String, String, String, String?, String?,
                            Date?, Date?, Date?, Date?, Int?, Date, Date).self)
        return Ticket(id: id, number: number, requesterID: requesterID, conversationID: conversationID, channel: try raw(channel),
                      subject: subject, category: try raw(category), priority: try raw(priority), status: try raw(status),
                      team: team, assignee: assignee, firstResponseDueAt: firstResponseDueAt, resolutionDueAt: resolutionDueAt,
                      firstRespondedAt: firstRespondedAt, resolvedAt: resolvedAt, rating: rating, createdAt: createdAt,
                      updatedAt: updatedAt)
    }

    static let ticketEventColumns = "id, ticketID, actor, kind, field, before, after, note, createdAt"

    static func ticketEvent(_ row: PostgresRow) throws -> TicketEvent {
        let (id, ticketID, actor, kind, field, before, after, note, createdAt) =
            try row.decode((Int64, Int64, String, String, String?, String?, String?, String?, Date).self)
        return TicketEvent(id: id, ticketID: ticketID, actor: TicketActor(rawValue: actor), kind: try raw(kind), field: field,
                           before: before, after: after, note: note, createdAt: createdAt)
    }

    static let inboxColumns = "id, platform, eventID, conversationKey, payload, receivedAt, status, attempts, processedAt, lastError"

    static func inboxEvent(_ row: PostgresRow) throws -> InboxEvent {
        let (id, platform, eventID, key, payload, receivedAt, status, attempts, processedAt, lastError) =
            try row.decode((Int64, String, String, String, String, Date, String, Int, Date?, String?).self)
        return InboxEvent(id: id, platform: try raw(platform), eventID: eventID, conversationKey: key, payload: payload,
                          receivedAt: receivedAt, status: try raw(status), attempts: attempts, processedAt: processedAt,
                          lastError: lastError)
    }

    static let outboxColumns = """
        id, platform, conversationKey, idempotencyKey, payload, status, attempts, nextAttemptAt, createdAt, sentAt, \
        lastError, partsSent, inDoubt
        """

    static func outboxMessage(_ row: PostgresRow) throws -> OutboxMessage {
        let (id, platform, key, idempotencyKey, payload, status, attempts, nextAttemptAt, createdAt, sentAt, lastError, partsSent,
             inDoubt) = try row.decode((Int64, String, String, String, String, String, Int, Date, Date, Date?, String?, Int, Bool).self)
        return OutboxMessage(id: id, platform: try raw(platform), conversationKey: key, idempotencyKey: idempotencyKey,
                             payload: payload, status: try raw(status), attempts: attempts, nextAttemptAt: nextAttemptAt,
                             createdAt: createdAt, sentAt: sentAt, lastError: lastError, partsSent: partsSent,
                             inDoubt: inDoubt)
    }

    static let accountColumns = "id, name, role, tokenHash, employeeID, createdAt, disabledAt"

    static func account(_ row: PostgresRow) throws -> Account {
        let (id, name, role, tokenHash, employeeID, createdAt, disabledAt) =
            try row.decode((Int64, String, String, String, Int64?, Date, Date?).self)
        return Account(id: id, name: name, role: try raw(role), tokenHash: tokenHash, employeeID: employeeID,
                       createdAt: createdAt, disabledAt: disabledAt)
    }

    static let approvalColumns = "id, ticketID, approverEmployeeID, status, requestedAt, remindersSent, decidedAt, decidedBy, createdAt"

    static func approval(_ row: PostgresRow) throws -> Approval {
        let (id, ticketID, approver, status, requestedAt, reminders, decidedAt, decidedBy, createdAt) =
            try row.decode((Int64, Int64, Int64?, String, Date?, Int, Date?, String?, Date).self)
        return Approval(id: id, ticketID: ticketID, approverEmployeeID: approver, status: try raw(status), requestedAt: requestedAt,
                        remindersSent: reminders, decidedAt: decidedAt, decidedBy: decidedBy, createdAt: createdAt)
    }

    static let timerColumns = "id, ticketID, kind, dueAt, status, detail, createdAt, firedAt"

    static func timer(_ row: PostgresRow) throws -> DeskTimer {
        let (id, ticketID, kind, dueAt, status, detail, createdAt, firedAt) =
            try row.decode((Int64, Int64, String, Date, String, String?, Date, Date?).self)
        return DeskTimer(id: id, ticketID: ticketID, kind: try raw(kind), dueAt: dueAt, status: try raw(status), detail: detail,
                         createdAt: createdAt, firedAt: firedAt)
    }

    /// A stored raw value read back as its enum; a value no case has (a row written by a newer version)
    /// is an error, not a crash.
    static func raw<T: RawRepresentable>(_ value: String) throws -> T where T.RawValue == String {
        guard let decoded = T(rawValue: value) else {
            throw StoreError.invalidValue("unknown \(T.self) \(value) in the database")
        }
        return decoded
    }
}
