/// Reads JSON text (RFC 8259) straight into a `JSONValue`.
///
/// Webhooks parse every delivery before acknowledging it, and going through `JSONDecoder` and
/// `JSONValue`'s `Decodable` conformance cost more than the HMAC and the inbox commit together: each
/// value is tried as several types and every miss throws. This reader looks at the next byte instead.
/// It accepts what `JSONDecoder` accepts for webhook bodies and produces the same values: integers
/// that fit `Int64` become `.int` (so do integral numbers written with a fraction or an exponent, as
/// `JSONDecoder` reads those as integers too), other numbers `.double`; strings must be valid UTF-8.
struct JSONReader {
    enum Failure: Error, Equatable {
        case invalid(offset: Int)
        case tooDeep
    }

    /// Deeper documents are refused rather than risking the stack (`JSONDecoder` stops at 512 too).
    static let maximumDepth = 512

    static func parse(_ bytes: some Collection<UInt8>) throws(Failure) -> JSONValue {
        let array = Array(bytes)
        var reader = JSONReader(bytes: array)
        reader.skipWhitespace()
        let value = try reader.readValue(depth: 0)
        reader.skipWhitespace()
        guard reader.index == array.count else { throw .invalid(offset: reader.index) }
        return value
    }

    private let bytes: [UInt8]
    private var index = 0

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func readValue(depth: Int) throws(Failure) -> JSONValue {
        guard depth < Self.maximumDepth else { throw .tooDeep }
        guard let byte = current else { throw .invalid(offset: index) }
        switch byte {
        case UInt8(ascii: "{"): return try readObject(depth: depth)
        case UInt8(ascii: "["): return try readArray(depth: depth)
        case UInt8(ascii: "\""): return .string(try readString())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try readNumber()
        default: throw .invalid(offset: index)
        }
    }

    private mutating func expect(_ literal: StaticString) throws(Failure) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw .invalid(offset: index) }
        let matches = literal.withUTF8Buffer { expected in
            expected.indices.allSatisfy { bytes[index + $0] == expected[$0] }
        }
        guard matches else { throw .invalid(offset: index) }
        index += count
    }

    private mutating func readObject(depth: Int) throws(Failure) -> JSONValue {
        index += 1  // {
        var object: [String: JSONValue] = [:]
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw .invalid(offset: index) }
            let key = try readString()
            skipWhitespace()
            guard current == UInt8(ascii: ":") else { throw .invalid(offset: index) }
            index += 1
            skipWhitespace()
            object[key] = try readValue(depth: depth + 1)
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return .object(object)
            default: throw .invalid(offset: index)
            }
        }
    }

    private mutating func readArray(depth: Int) throws(Failure) -> JSONValue {
        index += 1  // [
        var array: [JSONValue] = []
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            return .array(array)
        }
        while true {
            skipWhitespace()
            array.append(try readValue(depth: depth + 1))
            skipWhitespace()
            switch current {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return .array(array)
            default: throw .invalid(offset: index)
            }
        }
    }

    private mutating func readString() throws(Failure) -> String {
        index += 1  // opening quote
        let start = index
        // The common case, no escapes: one validated copy of the bytes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                guard let text = String(validating: bytes[start..<index], as: UTF8.self) else {
                    throw .invalid(offset: start)
                }
                index += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            guard byte >= 0x20 else { throw .invalid(offset: index) }
            index += 1
        }
        var scalars = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: scalars, as: UTF8.self) else { throw .invalid(offset: start) }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                guard let escape = current else { throw .invalid(offset: index) }
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"): scalars.append(contentsOf: try readUnicodeEscape())
                default: throw .invalid(offset: index - 1)
                }
            default:
                guard byte >= 0x20 else { throw .invalid(offset: index) }
                scalars.append(byte)
                index += 1
            }
        }
        throw .invalid(offset: start)
    }

    /// After `\u`: four hex digits, or a surrogate pair written as two escapes; the UTF-8 bytes.
    private mutating func readUnicodeEscape() throws(Failure) -> [UInt8] {
        let high = try readHex4()
        var value = UInt32(high)
        if (0xD800...0xDBFF).contains(high) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw .invalid(offset: index)
            }
            index += 2
            let low = try readHex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw .invalid(offset: index) }
            value = 0x10000 + (UInt32(high - 0xD800) << 10) + UInt32(low - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(high) {
            throw .invalid(offset: index)
        }
        guard let scalar = Unicode.Scalar(value) else { throw .invalid(offset: index) }
        return Array(String(Character(scalar)).utf8)
    }

    private mutating func readHex4() throws(Failure) -> UInt16 {
        guard index + 4 <= bytes.count else { throw .invalid(offset: index) }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let digit = bytes[index]
            let nibble: UInt8
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = digit - UInt8(ascii: "A") + 10
            default: throw .invalid(offset: index)
            }
            value = value << 4 | UInt16(nibble)
            index += 1
        }
        return value
    }

    private mutating func readNumber() throws(Failure) -> JSONValue {
        let start = index
        if current == UInt8(ascii: "-") { index += 1 }
        // Integer part: 0, or a non-zero digit followed by digits (no leading zeros).
        guard let first = current, isDigit(first) else { throw .invalid(offset: index) }
        index += 1
        if first != UInt8(ascii: "0") { skipDigits() }
        var isInteger = true
        if current == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard let digit = current, isDigit(digit) else { throw .invalid(offset: index) }
            skipDigits()
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard let digit = current, isDigit(digit) else { throw .invalid(offset: index) }
            skipDigits()
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        if isInteger, let integer = Int64(text) { return .int(integer) }
        guard let double = Double(text), double.isFinite else { throw .invalid(offset: start) }
        if double == double.rounded(), abs(double) < 9.2e18 { return .int(Int64(double)) }
        return .double(double)
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func skipDigits() {
        while let byte = current, isDigit(byte) { index += 1 }
    }
}
