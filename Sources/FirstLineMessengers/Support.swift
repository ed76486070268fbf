import Crypto
import Foundation

/// Header lookup that tolerates callers who did not lower-case names (LINE WORKS says the casing
/// of its headers may change).
enum Headers {
    static func value(_ lowercasedName: String, in headers: [String: String]) -> String? {
        if let value = headers[lowercasedName] { return value }
        return headers.first { $0.key.lowercased() == lowercasedName }?.value
    }

    static func require(_ lowercasedName: String, in headers: [String: String]) throws(VerificationError) -> String {
        guard let value = value(lowercasedName, in: headers), !value.isEmpty else {
            throw .missingHeader(lowercasedName)
        }
        return value
    }
}

enum Hex {
    static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let alphabet = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in bytes {
            out.append(alphabet[Int(byte >> 4)])
            out.append(alphabet[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func nibble(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// Shared HMAC checks. All comparisons go through `isValidAuthenticationCode`, which is constant
/// time, so response timing does not reveal how much of a forged signature was right.
enum WebhookSignature {
    /// Checks `base64(HMAC-SHA256(key, body))` (LINE, LINE WORKS).
    /// With several keys (a secret being rotated), every one is tried, without an early exit.
    static func verifyBase64(_ signature: String, body: [UInt8], keys: [SymmetricKey]) throws(VerificationError) {
        guard let mac = Data(base64Encoded: signature.trimmingCharacters(in: .whitespaces)) else {
            throw .malformedSignature
        }
        guard keys.map({ HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: $0) }).contains(true) else {
            throw .signatureMismatch
        }
    }

    /// Compares a presented shared secret with the expected one in constant time, whatever their
    /// lengths: both are MACed under a per-process random key and the MACs compared.
    struct SharedSecret: Sendable {
        private let key = SymmetricKey(size: .bits256)
        private let expectedMAC: [UInt8]

        init(_ secret: String) {
            expectedMAC = Array(HMAC<SHA256>.authenticationCode(for: Array(secret.utf8), using: key))
        }

        func matches(_ presented: String) -> Bool {
            HMAC<SHA256>.isValidAuthenticationCode(expectedMAC, authenticating: Array(presented.utf8), using: key)
        }
    }
}

/// Name-based UUIDs (RFC 9562 version 5), so the same outbox idempotency key always yields the
/// same platform retry key, across retries and restarts.
enum DeterministicUUID {
    /// A fixed namespace for FirstLine's names (itself a random v4 UUID).
    private static let namespace: [UInt8] = [
        0x6B, 0x1E, 0x3A, 0x52, 0x0C, 0x8D, 0x4F, 0x7A, 0x9E, 0x21, 0x5B, 0x44, 0xD3, 0x07, 0xA6, 0x19,
    ]

    static func make(from name: String) -> String {
        var hash = Array(Insecure.SHA1.hash(data: namespace + Array(name.utf8)).prefix(16))
        hash[6] = (hash[6] & 0x0F) | 0x50
        hash[8] = (hash[8] & 0x3F) | 0x80
        let uuid = UUID(uuid: (hash[0], hash[1], hash[2], hash[3], hash[4], hash[5], hash[6], hash[7],
                               hash[8], hash[9], hash[10], hash[11], hash[12], hash[13], hash[14], hash[15]))
        return uuid.uuidString.lowercased()
    }
}

/// `application/x-www-form-urlencoded`, both ways.
enum FormEncoding {
    /// RFC 3986 unreserved characters; everything else is percent-encoded.
    private static let unreserved = CharacterSet(charactersIn:
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ fields: [(String, String)]) -> String {
        fields.map { name, value in
            "\(escape(name))=\(escape(value))"
        }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    /// The value of the first field called `name`; nil when absent or not decodable.
    static func value(of name: String, in body: [UInt8]) -> String? {
        let text = String(decoding: body, as: UTF8.self)
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard decode(parts[0]) == name else { continue }
            return parts.count == 2 ? decode(parts[1]) : ""
        }
        return nil
    }

    private static func decode(_ text: Substring) -> String? {
        // '+' means space in forms; replace it before percent-decoding so an encoded "%2B" survives.
        text.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }
}

/// A URL path segment, percent-encoded (platform ids are normally safe, but an id is data).
func pathSegment(_ text: String) -> String {
    var allowed = CharacterSet.urlPathAllowed
    allowed.remove(charactersIn: "/?#")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
}
