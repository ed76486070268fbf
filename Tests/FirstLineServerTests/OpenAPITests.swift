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
}
