import FirstLineCore
import FirstLineStore
import Foundation
import Hummingbird
import Logging

/// Accounts of the API: `GET /api/v1/me` (any valid token), `GET /api/v1/users` and `POST /api/v1/users` (admin).
/// A new account's token is in the 201 answer and nowhere else: the server keeps only its hash.
struct UsersController {
    static let bodyLimit = 4 * 1024

    let accounts: AccountService
    let database: any AccountRepository
    let authenticator: Authenticator
    let clock: any ServerClock

    struct CreateBody: Decodable {
        var name: String
        var role: String
        var employeeID: Int64?

        enum CodingKeys: String, CodingKey {
            case name, role
            case employeeID = "employee_id"
        }
    }

    func addRoutes(to router: Hummingbird.Router<AppRequestContext>) {
        router.get("/api/v1/me") { request, _ in
            try JSONBody.response(PrincipalJSON(principal: try await authenticator.principal(for: request)))
        }
        router.get("/api/v1/users") { request, _ in
            _ = try await authenticator.authorize(request, .manageAccounts)
            let all = try await database.accounts()
            return try JSONBody.response(AccountListJSON(users: all.map { AccountJSON(account: $0) }))
        }
        router.post("/api/v1/users") { request, context in
            let principal = try await authenticator.authorize(request, .manageAccounts)
            let body = try await JSONBody.decode(CreateBody.self, from: request, limit: Self.bodyLimit)
            guard let role = Account.Role(rawValue: body.role) else {
                throw AppError.invalidField(field: "role", reason: "must be one of \(Account.Role.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            let issued: AccountService.Issued
            do throws(AccountService.Failure) {
                issued = try await accounts.create(name: body.name, role: role, employeeID: body.employeeID, at: clock.now())
            } catch {
                switch error {
                case let .invalidName(reason): throw AppError.invalidField(field: "name", reason: reason)
                case .duplicateName: throw AppError.conflict(error.description)
                case .employeeRequired, .unknownEmployee: throw AppError.invalidField(field: "employee_id", reason: error.description)
                case .storage:
                    context.logger.error("account not stored", metadata: ["error": "\(error)"])
                    throw AppError.internalFailure
                }
            }
            // The name and role are logged for the audit trail; the token never is.
            context.logger.info("account created", metadata: [
                "account": "\(issued.account.name)", "role": "\(role.rawValue)", "by": "\(principal.name)",
            ])
            return try JSONBody.response(AccountJSON(account: issued.account, token: issued.token), status: .created)
        }
    }
}
