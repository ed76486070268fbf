import FirstLineCore
import FirstLineStore
import Foundation
import HTTPTypes
import Hummingbird

/// The web chat's identity behind a company's sign-on proxy (issue 16, point 1): with
/// `web_chat.sign_on_header` set, the header's value — the signed-in person's e-mail or directory
/// id — names the employee, so the agent sees who they help instead of "Web chat".
///
/// The header is trusted only because the operator said so: the proxy in front must set it and
/// strip it from what clients send. Without the setting, or on a request without the header,
/// the chat stays anonymous with the name and e-mail the employee may type.
struct WebSignOn: Sendable {
    static let valueLimit = 254

    let header: HTTPField.Name?
    typealias Store = DirectoryRepository & TicketQueueRepository & DirectoryImportStore
    let store: any Store
    let clock: any ServerClock

    init(headerName: String?, store: any Store, clock: any ServerClock) {
        header = headerName.flatMap { HTTPField.Name($0) }
        self.store = store
        self.clock = clock
    }

    var isConfigured: Bool { header != nil }

    /// The signed-in person's e-mail or directory id, when sign-on is configured and the proxy sent it.
    func signedInValue(_ request: Request) throws -> String? {
        guard let header, let raw = request.headers[header] else { return nil }
        let value = raw.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty, value.count <= Self.valueLimit,
              value.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F }) else {
            throw AppError.invalidRequest("the sign-on header \(header) is not an e-mail address or a directory id")
        }
        return value
    }

    /// The employee the sign-on names: the directory person with that e-mail or directory id, else
    /// one kept for this sign-on name so that every session of the same person is the same requester.
    func person(for value: String) async throws -> Employee {
        if value.contains("@") {
            guard AgentController.looksLikeEmail(value) else {
                throw AppError.invalidRequest("the sign-on header's value is not an e-mail address")
            }
            return try await store.findOrCreateEmployee(displayName: String(value.prefix { $0 != "@" }), email: value, at: clock.now())
        }
        if let known = try await store.employee(directoryID: value) { return known }
        return try await store.findOrCreateEmployee(platform: .web, platformUserID: "sign-on:" + value, displayName: value, at: clock.now())
    }

    /// Ties the chat session to the signed-in person before its first message, and refuses a session
    /// that belongs to someone else (as unknown: whether it exists is not revealed). Nil when anonymous.
    @discardableResult
    func claim(key: String, request: Request) async throws -> Employee? {
        guard let value = try signedInValue(request) else { return nil }
        let person = try await person(for: value)
        guard let personID = person.id else { throw AppError.internalFailure }
        if let owner = try await store.employee(platform: .web, platformUserID: key) {
            guard owner.id == personID else { throw AppError.unknownSession }
            return person
        }
        _ = try await store.linkIdentity(platform: .web, platformUserID: key, employeeID: personID)
        return person
    }

    /// For reading a session (poll, history): a signed-in reader sees only their own sessions.
    func checkOwner(key: String, request: Request) async throws {
        guard let value = try signedInValue(request) else { return }
        let person = try await person(for: value)
        guard let owner = try await store.employee(platform: .web, platformUserID: key), owner.id == person.id else {
            throw AppError.unknownSession
        }
    }
}
