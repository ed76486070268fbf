import Foundation

/// A JSON document as a plain Sendable value (also used by the server for PATCH bodies, whose
/// unknown fields and explicit nulls matter).
///
/// Webhook payloads vary by event type (Slack's `channel` is a string in one event and an object in
/// another), so they are read leniently through this type rather than through strict Codable
/// structs that would reject a whole delivery over one unexpected field. Outbound bodies are built
/// with it too and encoded with sorted keys, so the bytes are deterministic.
public enum JSONValue: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Each failed attempt throws (and allocates) a DecodingError, so the kinds webhook payloads are
        // made of come first: strings, then objects. The kinds are disjoint (JSONDecoder reads a number
        // as neither Bool nor String, and `true` as no number), so the order changes only the cost; among
        // numbers, Int64 still comes before Double so that `1` stays an integer.
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else {
            self = .array(try container.decode([JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .bool(value): try container.encode(value)
        case let .int(value): try container.encode(value)
        case let .double(value): try container.encode(value)
        case let .string(value): try container.encode(value)
        case let .array(value): try container.encode(value)
        case let .object(value): try container.encode(value)
        }
    }

    /// Decodes a JSON object; anything else (not JSON, or a top-level array or scalar) is `notJSON`.
    static func parseObject(_ bytes: some Collection<UInt8>) throws(ParseError) -> JSONValue {
        let value: JSONValue
        do {
            value = try JSONReader.parse(bytes)
        } catch {
            throw .notJSON
        }
        guard case .object = value else { throw .notJSON }
        return value
    }

    func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        // Sorted keys make bodies byte-for-byte reproducible (tests, retries); unescaped slashes
        // keep URLs in texts readable.
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a tree of strings, numbers and containers cannot fail.
        return (try? Array(encoder.encode(self))) ?? Array("null".utf8)
    }

    /// What kind of value this is, for error messages ("'priority' must be a string, got a number").
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .double: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    subscript(key: String) -> JSONValue? {
        if case let .object(members) = self { return members[key] }
        return nil
    }

    var string: String? {
        if case let .string(value) = self { return value }
        return nil
    }

    /// An integer, also from an integral double or a decimal string (LINE WORKS sends
    /// `expires_in` as a string).
    var int64: Int64? {
        switch self {
        case let .int(value): return value
        case let .double(value) where value.rounded() == value && abs(value) < 9e15: return Int64(value)
        case let .string(value): return Int64(value)
        default: return nil
        }
    }

    var bool: Bool? {
        if case let .bool(value) = self { return value }
        return nil
    }

    var array: [JSONValue]? {
        if case let .array(value) = self { return value }
        return nil
    }

    /// A non-empty string at `key`.
    func text(_ key: String) -> String? {
        guard let value = self[key]?.string, !value.isEmpty else { return nil }
        return value
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
