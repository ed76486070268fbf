import FirstLineCore
import FirstLineServer
import FirstLineStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

/// Issue 15, point 6: `GET /api/v1/openapi.json` describes exactly the `/api/v1` routes the server
/// registers (method and path), each with its answers, and every `$ref` resolves.
@Suite("OpenAPI 3.1 document of /api/v1")
struct OpenAPITests {
    static let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]

    static func document(_ client: some TestClientProtocol) async throws -> [String: Any] {
        let response = try await client.execute(uri: "/api/v1/openapi.json", method: .get)
        try #require(response.status == .ok)
        #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
        return try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any])
    }

    @Test("every registered /api/v1 route is in the document, and every documented operation is a registered route")
    func routesMatch() async throws {
        try await TestEnvironment.with { env in
            let database = try env.openDatabase()
            defer { try? database.close() }
            let registered = Set(FirstLineApplication.routeDescriptions(configuration: env.configuration,
                                                                        dependencies: env.dependencies(database))
                .map { route -> String in
                    let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
                    let path = parts[1].hasPrefix("/") ? parts[1] : "/" + parts[1]
                    return parts[0].uppercased() + " " + path
                }
                .filter { $0.split(separator: " ")[1].hasPrefix("/api/v1/") })
            try await env.withServer { client, _ in
                let document = try await Self.document(client)
                #expect(document["openapi"] as? String == "3.1.0")
                let paths = try #require(document["paths"] as? [String: [String: Any]])
                var documented = Set<String>()
                for (path, item) in paths {
                    for (method, operation) in item where Self.methods.contains(method) {
                        documented.insert(method.uppercased() + " " + path)
                        let responses = (operation as? [String: Any])?["responses"] as? [String: Any] ?? [:]
                        #expect(responses.keys.contains { $0.hasPrefix("2") }, "\(method) \(path) has no success answer")
                    }
                }
                #expect(registered.subtracting(documented).isEmpty, "registered, not documented: \(registered.subtracting(documented).sorted())")
                #expect(documented.subtracting(registered).isEmpty, "documented, not registered: \(documented.subtracting(registered).sorted())")
                #expect(registered.count == 37, "\(registered.count) routes under /api/v1")
            }
        }
    }

    @Test("every $ref points at a schema of the document; secured operations document 401 and 403, every operation 429")
    func referencesResolve() async throws {
        try await TestEnvironment.with { env in
            try await env.withServer { client, _ in
                let document = try await Self.document(client)
                let schemas = try #require((document["components"] as? [String: Any])?["schemas"] as? [String: Any])
                var references: [String] = []
                func walk(_ value: Any) {
                    if let object = value as? [String: Any] {
                        if let ref = object["$ref"] as? String { references.append(ref) }
                        object.values.forEach(walk)
                    } else if let array = value as? [Any] {
                        array.forEach(walk)
                    }
                }
                walk(document)
                #expect(!references.isEmpty)
                for reference in references {
                    let name = reference.replacingOccurrences(of: "#/components/schemas/", with: "")
                    #expect(schemas[name] != nil, "unresolved \(reference)")
                }
                let paths = try #require(document["paths"] as? [String: [String: Any]])
                for (path, item) in paths where path != "/api/v1/openapi.json" {
                    for (method, value) in item where Self.methods.contains(method) {
                        let operation = try #require(value as? [String: Any])
                        let responses = try #require(operation["responses"] as? [String: Any])
                        #expect(responses["429"] != nil, "\(method) \(path)")
                        if operation["security"] != nil {
                            #expect(responses["401"] != nil && responses["403"] != nil, "\(method) \(path)")
                        }
                    }
                }
            }
        }
    }

    /// The document is hand-written JSON; this keeps its value lists equal to the enums the server
    /// decodes, so a new category or channel cannot be accepted by the server and refused by a client
    /// generated from the document (or the reverse).
    @Test("every enum of a category, channel, priority or role field lists exactly the server's values")
    func enumsMatchTheServer() async throws {
        let expected: [String: Set<String>] = [
            "category": Set(TicketCategory.allCases.map(\.rawValue)),
            "channel": Set(TicketChannel.allCases.map(\.rawValue)),
            "priority": Set(TicketPriority.allCases.map(\.rawValue)),
            "role": Set(Account.Role.allCases.map(\.rawValue)),
        ]
        try await TestEnvironment.with { env in
            try await env.withServer { client, _ in
                let found = Self.enums(in: try await Self.document(client))
                for (name, values) in expected {
                    let lists = found[name] ?? []
                    #expect(!lists.isEmpty, "no enum documented for \(name)")
                    for list in lists { #expect(list == values, "\(name): documented \(list.sorted()), server \(values.sorted())") }
                }
            }
        }
    }

    /// Every value list of the document by the field it belongs to: query parameters
    /// (`{"name": "category", "schema": {"enum": [...]}}`) and body properties (`"category": {"enum": [...]}`).
    static func enums(in node: Any) -> [String: [Set<String>]] {
        var found: [String: [Set<String>]] = [:]
        func walk(_ node: Any) {
            if let object = node as? [String: Any] {
                if let name = object["name"] as? String, let schema = object["schema"] as? [String: Any],
                   let values = schema["enum"] as? [String] {
                    found[name, default: []].append(Set(values))
                }
                if let properties = object["properties"] as? [String: Any] {
                    for (name, property) in properties {
                        if let values = (property as? [String: Any])?["enum"] as? [String] {
                            found[name, default: []].append(Set(values))
                        }
                    }
                }
                object.values.forEach(walk)
            } else if let array = node as? [Any] {
                array.forEach(walk)
            }
        }
        walk(node)
        return found
    }
}
