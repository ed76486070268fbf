import Foundation

/// SplitMix64: small, fast and the same on every machine, so a seed names a fuzz run exactly.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Turns valid webhooks into hostile ones (issue 15, point 7 d): byte flips, truncation, insertions of huge
/// numbers, deep nesting, invalid UTF-8 and wrongly typed values, removed and repeated headers, stale Slack
/// timestamps. Half of what it makes is signed correctly over the mutated bytes (so the parser, not the
/// signature check, has to refuse it), half is not signed correctly (so it must never be accepted).
///
/// Deterministic: case `index` of seed `seed` is always the same request, so a failure can be replayed alone.
public struct Mutator: Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case byteFlip, truncate, hugeNumber, deepNesting, invalidUTF8, wrongType, removeHeader, duplicateHeader
        case staleTimestamp, emptyBody, garbage, valueSwap
    }

    /// One mutated request and what the server is allowed to answer.
    public struct Case: Sendable {
        public var webhook: SignedWebhook
        /// Signed correctly over the bytes sent (headers intact, timestamp fresh): the server may accept it
        /// if it still parses as an event. Otherwise any 200 is a failure of the signature check.
        public var signedCorrectly: Bool
        public var kinds: [Kind]
    }

    public let factory: WebhookFactory
    public let seed: UInt64

    public init(factory: WebhookFactory, seed: UInt64) {
        self.factory = factory
        self.seed = seed
    }

    /// Case `index` for `platform`: a fresh valid event (distinct id), one to three mutations, then signed
    /// correctly when `index` is even.
    public func mutated(_ platform: HarnessPlatform, index: Int, runID: String, now: Date = Date()) -> Case {
        var random = SeededRandom(seed: seed ^ (UInt64(index) &* 0x2545_F491_4F6C_DD1D)
            ^ UInt64(HarnessPlatform.allCases.firstIndex(of: platform)!) << 56)
        let text = WebhookFactory.questions[Int(random.next() % UInt64(WebhookFactory.questions.count))]
        let base = factory.message(platform, conversation: Int(random.next() % 50), serial: index, text: text,
                                   runID: runID, now: now)
        var body = base.body
        let count = 1 + Int(random.next() % 3)
        var kinds: [Kind] = []
        var headerKinds: [Kind] = []
        for _ in 0..<count {
            let kind = Kind.allCases[Int(random.next() % UInt64(Kind.allCases.count))]
            kinds.append(kind)
            switch kind {
            case .removeHeader, .duplicateHeader, .staleTimestamp: headerKinds.append(kind)
            default: body = Self.mutate(body, kind, using: &random)
            }
        }
        let signed = index % 2 == 0
        let stale = headerKinds.contains(.staleTimestamp)
        let timestamp = Int(now.timeIntervalSince1970) - (stale ? 301 + Int(random.next() % 100_000) : 0)
        var headers: [SignedWebhook.Header]
        if signed {
            headers = factory.signatureHeaders(for: platform, body: body, timestamp: timestamp)
        } else {
            headers = Self.badSignature(factory.signatureHeaders(for: platform, body: body, timestamp: timestamp),
                                        using: &random)
        }
        var headersIntact = true
        for kind in headerKinds {
            switch kind {
            case .removeHeader:
                // Any header but Content-Type: the signature, the timestamp or LINE WORKS's bot id.
                let candidates = headers.indices.filter { headers[$0].name != "Content-Type" }
                if let pick = candidates.randomElement(using: &random) { headers.remove(at: pick) }
                headersIntact = false
            case .duplicateHeader:
                if let pick = headers.indices.randomElement(using: &random) {
                    var copy = headers[pick]
                    if random.next() % 2 == 0 { copy.value = String(copy.value.reversed()) }
                    headers.insert(copy, at: random.next() % 2 == 0 ? pick : headers.count)
                }
                headersIntact = false
            default:
                break
            }
        }
        let webhook = SignedWebhook(platform: platform, headers: headers, body: body, eventKey: base.eventKey)
        let correctly = signed && headersIntact && !(stale && platform == .slack)
        return Case(webhook: webhook, signedCorrectly: correctly, kinds: kinds)
    }

    /// A wrong signature of the platform's shape: a flipped digit, another key's, empty, or random text.
    static func badSignature(_ headers: [SignedWebhook.Header], using random: inout SeededRandom) -> [SignedWebhook.Header] {
        var headers = headers
        guard let index = headers.firstIndex(where: {
            ["X-Slack-Signature", "X-Telegram-Bot-Api-Secret-Token", "x-line-signature", "X-WORKS-Signature"].contains($0.name)
        }) else { return headers }
        var value = Array(headers[index].value.utf8)
        switch random.next() % 4 {
        case 0 where value.count > 8:
            // Not in the last characters: base64's final digit carries bits a decoder ignores, so changing it there
            // can leave the same (correct) signature, which the fuzz found (non-canonical base64 is accepted).
            let at = Int(random.next() % UInt64(value.count - 6))
            value[at] = value[at] == UInt8(ascii: "a") ? UInt8(ascii: "b") : UInt8(ascii: "a")
        case 1:
            value = Array(WebhookFactory.base64HMAC(secret: "not-the-secret", body: value).utf8)
        case 2:
            value = []
        default:
            value = (0..<Int(random.next() % 80)).map { _ in UInt8(33 + random.next() % 94) }
        }
        headers[index].value = String(decoding: value, as: UTF8.self)
        return headers
    }

    static let hugeNumbers = ["1e999999", "-1e-999999", "123456789012345678901234567890123456789012345678901234567890",
                              "9223372036854775808", "-9223372036854775809", "1.7976931348623157e309", "0.0000000000000000000001",
                              "NaN", "Infinity", "-0", "00012", "1.", ".5", "1e", "0x10"]
    static let wrongTypes = ["null", "true", "[]", "{}", "\"\"", "[1,2,3]", "{\"a\":{\"b\":[]}}", "\"12\"", "-1", "3.5",
                             "\"\\u0000\"", "\"\\ud800\"", "[null]"]

    static func mutate(_ body: [UInt8], _ kind: Kind, using random: inout SeededRandom) -> [UInt8] {
        var body = body
        func position() -> Int { body.isEmpty ? 0 : Int(random.next() % UInt64(body.count + 1)) }
        switch kind {
        case .byteFlip:
            for _ in 0..<(1 + Int(random.next() % 8)) where !body.isEmpty {
                let at = Int(random.next() % UInt64(body.count))
                body[at] ^= UInt8(1 << (random.next() % 8))
            }
        case .truncate:
            body = Array(body.prefix(position()))
        case .hugeNumber:
            body = replaceValue(in: body, with: hugeNumbers[Int(random.next() % UInt64(hugeNumbers.count))], using: &random)
        case .deepNesting:
            // Up to 200,000 levels (400 KB, under the 1 MiB limit): a recursive parser would overflow its stack.
            let depth = [64, 1000, 10_000, 100_000, 200_000][Int(random.next() % 5)]
            let open = random.next() % 2 == 0 ? "[" : "{\"a\":"
            let close = open == "[" ? "]" : "}"
            let nested = String(repeating: open, count: depth) + "1" + String(repeating: close, count: random.next() % 4 == 0 ? depth / 2 : depth)
            body = replaceValue(in: body, with: nested, using: &random)
        case .invalidUTF8:
            let bad: [[UInt8]] = [[0xFF], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xE3, 0x81], [0x80]]
            body.insert(contentsOf: bad[Int(random.next() % UInt64(bad.count))], at: position())
        case .wrongType:
            body = replaceValue(in: body, with: wrongTypes[Int(random.next() % UInt64(wrongTypes.count))], using: &random)
        case .emptyBody:
            body = random.next() % 2 == 0 ? [] : Array(["{}", "[]", "null", "\"\"", " "][Int(random.next() % 5)].utf8)
        case .garbage:
            body.insert(contentsOf: (0..<Int(1 + random.next() % 64)).map { _ in UInt8(truncatingIfNeeded: random.next()) },
                        at: position())
        case .valueSwap:
            // A string value becomes a very long one (texts over the platforms' limits, keys over column sizes).
            body = replaceValue(in: body, with: "\"" + String(repeating: "가", count: Int(1 + random.next() % 60_000)) + "\"",
                                using: &random)
        case .removeHeader, .duplicateHeader, .staleTimestamp:
            break
        }
        return body
    }

    /// Replaces one JSON value (the text after a random `":"`) with `replacement`, or appends it when none is found.
    static func replaceValue(in body: [UInt8], with replacement: String, using random: inout SeededRandom) -> [UInt8] {
        let colons = body.indices.filter { body[$0] == UInt8(ascii: ":") }
        guard let colon = colons.randomElement(using: &random) else { return body + Array(replacement.utf8) }
        var end = colon + 1
        if end < body.count, body[end] == UInt8(ascii: "\"") {
            end += 1
            while end < body.count, body[end] != UInt8(ascii: "\"") { end += body[end] == UInt8(ascii: "\\") ? 2 : 1 }
            end = min(body.count, end + 1)
        } else if end < body.count, body[end] == UInt8(ascii: "{") || body[end] == UInt8(ascii: "[") {
            var depth = 0
            repeat {
                if body[end] == UInt8(ascii: "{") || body[end] == UInt8(ascii: "[") { depth += 1 }
                if body[end] == UInt8(ascii: "}") || body[end] == UInt8(ascii: "]") { depth -= 1 }
                end += 1
            } while end < body.count && depth > 0
        } else {
            while end < body.count, ![UInt8(ascii: ","), UInt8(ascii: "}"), UInt8(ascii: "]")].contains(body[end]) { end += 1 }
        }
        return Array(body[..<(colon + 1)]) + Array(replacement.utf8) + Array(body[end...])
    }
}
