import FirstLineCore
import FirstLineStore
import Foundation

/// Creates accounts and their tokens. `POST /api/v1/users` and `firstline users add` both go through it,
/// so names are checked the same way and a token is hashed the same way everywhere.
public struct AccountService: Sendable {
    /// An account just created, with the only copy of its token: show it once, then forget it.
    public struct Issued: Sendable {
        public var account: Account
        public var token: String
    }

    /// Why an account was not created.
    public enum Failure: Error, Equatable, CustomStringConvertible {
        case invalidName(String)
        case duplicateName(String)
        case employeeRequired
        case unknownEmployee(Int64)
        case storage(String)

        public var description: String {
            switch self {
            case let .invalidName(reason): "invalid name: \(reason)"
            case let .duplicateName(name): "an account named '\(name)' already exists"
            case .employeeRequired: "an employee account needs the id of its employee"
            case let .unknownEmployee(id): "no employee has id \(id)"
            case let .storage(detail): "the account could not be stored: \(detail)"
            }
        }
    }

    static let nameLimit = 64

    let accounts: any AccountRepository

    public init(accounts: any AccountRepository) {
        self.accounts = accounts
    }

    public func create(name: String, role: Account.Role, employeeID: Int64?, at now: Date) async throws(Failure) -> Issued {
        if let reason = Self.problem(withName: name) { throw .invalidName(reason) }
        if role == .employee, employeeID == nil { throw .employeeRequired }
        let token = AccessToken.generate()
        do {
            let account = try await accounts.createAccount(
                NewAccount(name: name, role: role, tokenHash: AccessToken.hash(token), employeeID: employeeID), at: now)
            return Issued(account: account, token: token)
        } catch let error as StoreError {
            switch error {
            case .duplicate: throw .duplicateName(name)
            case let .notFound(.employee, id): throw .unknownEmployee(Int64(id) ?? -1)
            case .invalidValue: throw .employeeRequired
            default: throw .storage(error.description)
            }
        } catch {
            throw .storage("\(error)")
        }
    }

    /// Why `name` cannot be an account name, or nil. Names appear in ticket history as `agent:<name>` and as
    /// assignees, so they are short, without spaces, colons or control characters.
    public static func problem(withName name: String) -> String? {
        guard !name.isEmpty else { return "the name is empty" }
        guard name.count <= nameLimit else { return "the name is longer than \(nameLimit) characters" }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || ".-_@".unicodeScalars.contains(scalar)
        }
        guard allowed else { return "use letters, digits, '.', '-', '_' or '@' only" }
        guard name.lowercased() != Authenticator.bootstrapAdminName else { return "'\(name)' is reserved" }
        return nil
    }
}
