import FirstLineCore
import FirstLineServer
import Foundation
import GRDB
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import FirstLineStore

// Short names, so the matrix below reads as a table.
private let u = HTTPResponse.Status.unauthorized
private let f = HTTPResponse.Status.forbidden
private let ok = HTTPResponse.Status.ok
private let made = HTTPResponse.Status.created
private let nf = HTTPResponse.Status.notFound
private let bad = HTTPResponse.Status.unprocessableContent

/// Who may call what (`AgentController`, `Permission`): every endpoint as every kind of caller.
@Suite("agent API: permissions and tokens")
struct PermissionMatrixTests {
    enum Caller: String, CaseIterable, Sendable {
        case anonymous = "no token"
        case badToken = "bad token"
        case employeeOwn = "employee, own ticket"
        case employeeOther = "employee, someone else's ticket"
        case agent, editor, admin
    }

    struct Endpoint: Sendable {
        var method: HTTPRequest.Method
        /// `{n}` is replaced by a fresh ticket's number for every call.
        var path: String
        /// `{i}` is replaced by a counter, so that creations do not collide.
        var body: String?
        /// In `Caller.allCases` order.
        var expected: [HTTPResponse.Status]

        var name: String { "\(method) \(path)" }
    }

    //                                                                          none bad  own  other agent editor admin
    static let matrix: [Endpoint] = [
        Endpoint(method: .get, path: "/api/v1/me", expected: [u, u, ok, ok, ok, ok, ok]),
        Endpoint(method: .get, path: "/api/v1/users", expected: [u, u, f, f, f, f, ok]),
        Endpoint(method: .post, path: "/api/v1/users", body: #"{"name": "user{i}", "role": "agent"}"#,
                 expected: [u, u, f, f, f, f, made]),
        Endpoint(method: .get, path: "/api/v1/tickets", expected: [u, u, ok, ok, ok, f, ok]),
        Endpoint(method: .post, path: "/api/v1/tickets",
                 body: #"{"employee": {"name": "Caller {i}"}, "channel": "phone", "subject": "No sound"}"#,
                 expected: [u, u, f, f, made, f, made]),
        Endpoint(method: .get, path: "/api/v1/tickets/{n}", expected: [u, u, ok, nf, ok, f, ok]),
        Endpoint(method: .get, path: "/api/v1/tickets/{n}/history", expected: [u, u, ok, nf, ok, f, ok]),
        Endpoint(method: .patch, path: "/api/v1/tickets/{n}", body: #"{"priority": "P2"}"#,
                 expected: [u, u, f, f, ok, f, ok]),
        Endpoint(method: .post, path: "/api/v1/tickets/{n}/replies", body: #"{"text": "On my way."}"#,
                 expected: [u, u, f, f, made, f, made]),
        Endpoint(method: .post, path: "/api/v1/tickets/{n}/notes", body: #"{"text": "Internal."}"#,
                 expected: [u, u, f, f, made, f, made]),
        Endpoint(method: .post, path: "/api/v1/tickets/{n}/resolve", expected: [u, u, f, f, ok, f, ok]),
        Endpoint(method: .post, path: "/api/v1/tickets/{n}/claim", expected: [u, u, f, f, ok, f, ok]),
        // These tickets need no approval: there is nothing to decide (404), but only for those who may decide.
        Endpoint(method: .post, path: "/api/v1/tickets/{n}/approval", body: #"{"decision": "approve"}"#,
                 expected: [u, u, f, f, nf, f, nf]),
        Endpoint(method: .put, path: "/api/v1/agents/me/presence", body: #"{"online": true}"#,
                 expected: [u, u, f, f, ok, f, ok]),
        Endpoint(method: .get, path: "/api/v1/kb/articles", expected: [u, u, f, f, f, ok, ok]),
        Endpoint(method: .get, path: "/api/v1/kb/articles/en/account-lockout", expected: [u, u, f, f, f, ok, ok]),
        // An article without front matter: refused (422) for editors, never written; forbidden for the rest.
        Endpoint(method: .post, path: "/api/v1/kb/articles", body: #"{"markdown": "no front matter"}"#,
                 expected: [u, u, f, f, f, bad, bad]),
    ]

    @Test("every endpoint × every caller answers the expected status")
    func permissionMatrix() async throws {
        try await TestEnvironment.withAgentServer { _, client, database in
            let owner = try await makeEmployee(database, "Owner")
            let someoneElse = try await makeEmployee(database, "Someone Else")
            let tokens: [Caller: String] = [
                .badToken: "fl_" + String(repeating: "A", count: 43),
                .employeeOwn: try await issueToken(database, name: "owner", role: .employee, employeeID: owner),
                .agent: try await issueToken(database, name: "agent", role: .agent),
                .editor: try await issueToken(database, name: "editor", role: .editor),
                .admin: try await issueToken(database, name: "admin", role: .admin),
            ]
            var counter = 0
            for endpoint in Self.matrix {
                #expect(endpoint.expected.count == Caller.allCases.count, "\(endpoint.name)")
                for (caller, expected) in zip(Caller.allCases, endpoint.expected) {
                    counter += 1
                    // A fresh ticket each time, so that one caller's resolve cannot change the next caller's answer.
                    let requester = caller == .employeeOther ? someoneElse : owner
                    let number = try await makeTicket(database, requesterID: requester).number
                    let token = caller == .employeeOther ? tokens[.employeeOwn] : tokens[caller]
                    let response = try await client.api(
                        endpoint.method, endpoint.path.replacingOccurrences(of: "{n}", with: number), token: token,
                        body: endpoint.body?.replacingOccurrences(of: "{i}", with: "\(counter)"))
                    #expect(response.status == expected,
                            "\(endpoint.name) as \(caller.rawValue): \(response.status.code) \(String(buffer: response.body).prefix(200))")
                    let codes: [HTTPResponse.Status: String] = [u: "unauthorized", f: "forbidden", nf: "not_found"]
                    if let code = codes[response.status] { expectError(response, response.status, code: code) }
                }
            }
        }
    }

    @Test("an employee lists only their own tickets, whatever the filters say")
    func employeeSeesOwnTicketsOnly() async throws {
        try await TestEnvironment.withAgentServer { _, client, database in
            let owner = try await makeEmployee(database, "Owner")
            let other = try await makeEmployee(database, "Other")
            let mine = try await makeTicket(database, requesterID: owner).number
            _ = try await makeTicket(database, requesterID: other)
            let token = try await issueToken(database, name: "owner", role: .employee, employeeID: owner)
            for query in ["", "?requester=\(other)", "?status=new"] {
                let list = try await client.apiJSON(.get, "/api/v1/tickets\(query)", token: token)
                #expect(list[array: "tickets"].compactMap { $0[string: "number"] } == [mine], "\(query)")
            }
        }
    }

    @Test("someone else's ticket answers exactly like a ticket that does not exist")
    func noExistenceLeak() async throws {
        try await TestEnvironment.withAgentServer { _, client, database in
            let owner = try await makeEmployee(database, "Owner")
            let other = try await makeEmployee(database, "Other")
            let theirs = try await makeTicket(database, requesterID: other).number
            let token = try await issueToken(database, name: "owner", role: .employee, employeeID: owner)
            let missing = "HD-999999"
            for suffix in ["", "/history"] {
                let a = try await client.api(.get, "/api/v1/tickets/\(theirs)\(suffix)", token: token)
                let b = try await client.api(.get, "/api/v1/tickets/\(missing)\(suffix)", token: token)
                #expect(a.status == .notFound && b.status == .notFound)
                let (errorA, errorB) = (try JSON.decode(ErrorAnswer.self, a.body).error, try JSON.decode(ErrorAnswer.self, b.body).error)
                #expect(errorA.code == errorB.code)
                #expect(errorA.message.replacingOccurrences(of: theirs, with: missing) == errorB.message)
            }
            // Working a ticket is refused by role before the ticket is looked up: same answer, known or not.
            let c = try await client.api(.post, "/api/v1/tickets/\(theirs)/notes", token: token, body: #"{"text":"x"}"#)
            let d = try await client.api(.post, "/api/v1/tickets/\(missing)/notes", token: token, body: #"{"text":"x"}"#)
            #expect(c.status == .forbidden && d.status == .forbidden)
            #expect(try JSON.decode(ErrorAnswer.self, c.body).error.message == JSON.decode(ErrorAnswer.self, d.body).error.message)
        }
    }

    @Test("missing, malformed, unknown and disabled credentials are 401 with a Bearer challenge")
    func authentication() async throws {
        try await TestEnvironment.withAgentServer { _, client, database in
            let token = try await issueToken(database, name: "ana", role: .agent)
            let refused: [String?] = [nil, "", "Basic YW5hOnNlY3JldA==", "Bearer", "Bearer   ", "Token \(token)",
                                      "Bearer \(token)x", "Bearer fl_unknown", "Bearer \(token) extra"]
            for header in refused {
                var headers: HTTPFields = [:]
                if let header { headers[.authorization] = header }
                let response = try await client.execute(uri: "/api/v1/me", method: .get, headers: headers)
                expectError(response, .unauthorized, code: "unauthorized")
                #expect(response.headers[.wwwAuthenticate] == "Bearer", "\(header ?? "nil")")
                #expect(!String(buffer: response.body).contains(token), "a refusal never echoes the token")
            }
            // The scheme is case-insensitive (RFC 7235).
            let lower = try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "bearer \(token)"])
            #expect(lower.status == .ok)

            let me = try await client.apiJSON(.get, "/api/v1/me", token: token)
            #expect(me[string: "name"] == "ana")
            #expect(me[string: "role"] == "agent")
            #expect(me["employee_id"] is NSNull)
            #expect(me["permissions"] as? [String] == ["readAllTickets", "workTickets"])

            _ = try await database.disableAccount(name: "ana", at: TestEnvironment.start)
            let disabled = try await client.api(.get, "/api/v1/me", token: token)
            expectError(disabled, .unauthorized, code: "unauthorized")
            // Same message as an unknown token: a caller cannot tell a disabled account from a wrong token.
            let unknown = try await client.api(.get, "/api/v1/me", token: "fl_unknown")
            #expect(try JSON.decode(ErrorAnswer.self, disabled.body).error.message
                == JSON.decode(ErrorAnswer.self, unknown.body).error.message)
        }
    }

    @Test("the bootstrap admin token works, a wrong one does not, and without the variable there is none")
    func bootstrapAdmin() async throws {
        try await TestEnvironment.withAgentServer { _, client, _ in
            let me = try await client.apiJSON(.get, "/api/v1/me", token: testAdminToken)
            #expect(me[string: "role"] == "admin")
            #expect(me[string: "name"] == Authenticator.bootstrapAdminName)
            let created = try await client.apiJSON(.post, "/api/v1/users", token: testAdminToken,
                                                   body: jsonBody(["name": "first-admin", "role": "admin"]), expect: .created)
            let token = try #require(created[string: "token"])
            #expect(try await client.apiJSON(.get, "/api/v1/me", token: token)[string: "name"] == "first-admin")

            for wrong in [testAdminToken + "x", String(testAdminToken.dropLast()), testAdminToken.uppercased()] {
                expectError(try await client.api(.get, "/api/v1/me", token: wrong), .unauthorized, code: "unauthorized")
            }
        }
        try await TestEnvironment.withAgentServer(adminToken: nil) { _, client, _ in
            expectError(try await client.api(.get, "/api/v1/me", token: testAdminToken), .unauthorized)
        }
        try await TestEnvironment.withAgentServer(adminToken: "") { _, client, _ in
            expectError(try await client.api(.get, "/api/v1/me", token: testAdminToken), .unauthorized)
        }
    }

    @Test("tokens are stored as SHA-256 only: the raw token is nowhere in the database files")
    func tokensAreHashed() async throws {
        try await TestEnvironment.withAgentServer { env, client, database in
            let created = try await client.apiJSON(.post, "/api/v1/users", token: testAdminToken,
                                                   body: jsonBody(["name": "ana", "role": "agent"]), expect: .created)
            let token = try #require(created[string: "token"])
            // 32 random bytes as unpadded base64url, after the prefix.
            #expect(token.count == 3 + 43)
            #expect(token.dropFirst(3).allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
            #expect(try await client.apiJSON(.get, "/api/v1/me", token: token)[string: "name"] == "ana")

            let stored = try #require(try await database.account(name: "ana"))
            #expect(stored.tokenHash == AccessToken.hash(token))
            #expect(stored.tokenHash.count == 64)
            let listed = try await client.apiJSON(.get, "/api/v1/users", token: testAdminToken)
            #expect(!String(describing: listed).contains(token))
            #expect(!String(describing: listed).contains(stored.tokenHash), "the hash is not handed out either")

            // Everything SQLite wrote for this database: the file, its WAL and shared memory.
            let files = try FileManager.default.contentsOfDirectory(atPath: env.folder.path)
                .filter { $0.hasPrefix("firstline.sqlite") }
            #expect(files.contains("firstline.sqlite"))
            var everything = Data()
            for file in files { everything += try Data(contentsOf: env.folder.appendingPathComponent(file)) }
            #expect(everything.range(of: Data(token.utf8)) == nil, "the raw token is in \(files)")
            #expect(everything.range(of: Data(token.dropFirst(3).utf8)) == nil)
            #expect(everything.range(of: Data(stored.tokenHash.utf8)) != nil, "the search would have found a stored value")
        }
    }

    @Test("creating accounts: names unique regardless of case, roles and employees checked")
    func accountRules() async throws {
        try await TestEnvironment.withAgentServer { _, client, database in
            let employee = try await makeEmployee(database, "Park")
            try await client.apiJSON(.post, "/api/v1/users", token: testAdminToken,
                                     body: jsonBody(["name": "ana", "role": "agent"]), expect: .created)
            let duplicate = try await client.api(.post, "/api/v1/users", token: testAdminToken,
                                                 body: jsonBody(["name": "ANA", "role": "editor"]))
            expectError(duplicate, .conflict, code: "conflict")
            for (body, field) in [
                (["name": "bo", "role": "superuser"] as [String: Any], "role"),
                (["name": "park", "role": "employee"], "employee_id"),
                (["name": "park", "role": "employee", "employee_id": 424_242], "employee_id"),
                (["name": "two words", "role": "agent"], "name"),
                (["name": "agent:ana", "role": "agent"], "name"),
                (["name": "", "role": "agent"], "name"),
                (["name": "Bootstrap-Admin", "role": "admin"], "name"),
            ] {
                let response = try await client.api(.post, "/api/v1/users", token: testAdminToken, body: jsonBody(body))
                expectError(response, .unprocessableContent, code: "invalid_field")
                #expect(String(buffer: response.body).contains("'\(field)'"), "\(body): \(String(buffer: response.body))")
            }
            let park = try await client.apiJSON(.post, "/api/v1/users", token: testAdminToken, body: jsonBody([
                "name": "park", "role": "employee", "employee_id": employee,
            ]), expect: .created)
            #expect(park["employee_id"] as? Int == Int(employee))
            let me = try await client.apiJSON(.get, "/api/v1/me", token: try #require(park[string: "token"]))
            #expect(me["employee_id"] as? Int == Int(employee))
            #expect(me["permissions"] as? [String] == ["readOwnTickets"])
            #expect(try await database.accounts().map(\.name) == ["ana", "park"])
        }
    }
}
