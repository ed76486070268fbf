import FirstLineCore
import FirstLineMessengers
import Foundation
import Testing

/// messengers.md §8: every published and in-house vector verifies through the adapters, and
/// anything tampered with does not.
@Suite struct SignatureTests {
    // MARK: Slack

    @Test func slackOfficialVectorVerifies() throws {
        let adapter = SlackAdapter(signingSecret: "8f742231b10e8888abcd99yyyzzz85a5")
        let headers = [
            "x-slack-signature": "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503",
            "x-slack-request-timestamp": "1531420618",
        ]
        try adapter.verify(headers: headers, body: bytes(Fixtures.slackOfficialBody),
                           now: Date(timeIntervalSince1970: 1_531_420_618))
    }

    @Test func slackKoreanVectorVerifies() throws {
        let body = bytes(Fixtures.slackVectorBody)
        // The fixture is exactly the §8 bytes.
        #expect(body.count == 183)
        #expect(sha256Hex(body).hasPrefix("58fe9b0d") && sha256Hex(body).hasSuffix("87c3"))
        let expected = "v0=4e74a328d4d4e81412ec9626dc265a07fad2938f4f0b66255b7659229039f755"
        #expect(slackSignature(secret: "test_signing_secret", timestamp: "1700000000", body: body) == expected)

        let adapter = SlackAdapter(signingSecret: "test_signing_secret")
        try adapter.verify(headers: ["x-slack-signature": expected, "x-slack-request-timestamp": "1700000000"],
                           body: body, now: vectorEpoch)
    }

    @Test func slackReserialisedBodyFails() {
        let reserialised = bytes(Fixtures.slackVectorReserialised)
        // The port reproduces the §8 negative vector's own signature…
        let ownSignature = slackSignature(secret: "test_signing_secret", timestamp: "1700000000", body: reserialised)
        #expect(ownSignature.hasPrefix("v0=b979ad8a") && ownSignature.hasSuffix("e840"))
        // …and the original signature does not cover the re-serialised bytes.
        let adapter = SlackAdapter(signingSecret: "test_signing_secret")
        let headers = ["x-slack-signature": "v0=4e74a328d4d4e81412ec9626dc265a07fad2938f4f0b66255b7659229039f755",
                       "x-slack-request-timestamp": "1700000000"]
        #expect(throws: VerificationError.signatureMismatch) {
            try adapter.verify(headers: headers, body: reserialised, now: vectorEpoch)
        }
    }

    @Test(arguments: [
        "tampered body",
        "tampered signature",
        "other timestamp",
        "wrong secret",
    ])
    func slackTamperingFails(_ tampering: String) {
        var body = bytes(Fixtures.slackVectorBody)
        var signature = "v0=4e74a328d4d4e81412ec9626dc265a07fad2938f4f0b66255b7659229039f755"
        var timestamp = "1700000000"
        var secret = "test_signing_secret"
        switch tampering {
        case "tampered body": body[body.count - 5] ^= 0x01
        case "tampered signature": signature = "v0=5e74a328d4d4e81412ec9626dc265a07fad2938f4f0b66255b7659229039f755"
        case "other timestamp": timestamp = "1700000001"
        default: secret = "another_secret"
        }
        let adapter = SlackAdapter(signingSecret: secret)
        #expect(throws: VerificationError.signatureMismatch) {
            try adapter.verify(headers: ["x-slack-signature": signature, "x-slack-request-timestamp": timestamp],
                               body: body, now: vectorEpoch)
        }
    }

    @Test(arguments: [301.0, -301.0, 3600.0, -86400.0])
    func slackStaleTimestampFailsAsStale(_ offset: TimeInterval) {
        let adapter = SlackAdapter(signingSecret: "test_signing_secret")
        let headers = ["x-slack-signature": "v0=4e74a328d4d4e81412ec9626dc265a07fad2938f4f0b66255b7659229039f755",
                       "x-slack-request-timestamp": "1700000000"]
        #expect(throws: VerificationError.staleTimestamp(skewSeconds: Int(offset))) {
            try adapter.verify(headers: headers, body: bytes(Fixtures.slackVectorBody),
                               now: vectorEpoch.addingTimeInterval(offset))
        }
    }

    @Test(arguments: [300.0, -300.0, 0.0])
    func slackTimestampAtTheWindowEdgeVerifies(_ offset: TimeInterval) throws {
        let adapter = SlackAdapter(signingSecret: "test_signing_secret")
        let headers = ["x-slack-signature": "v0=4e74a328d4d4e81412ec9626dc265a07fad2938f4f0b66255b7659229039f755",
                       "x-slack-request-timestamp": "1700000000"]
        try adapter.verify(headers: headers, body: bytes(Fixtures.slackVectorBody), now: vectorEpoch.addingTimeInterval(offset))
    }

    @Test func slackMalformedHeaders() {
        let adapter = SlackAdapter(signingSecret: "test_signing_secret")
        let body = bytes(Fixtures.slackVectorBody)
        #expect(throws: VerificationError.missingHeader("x-slack-signature")) {
            try adapter.verify(headers: ["x-slack-request-timestamp": "1700000000"], body: body, now: vectorEpoch)
        }
        #expect(throws: VerificationError.missingHeader("x-slack-request-timestamp")) {
            try adapter.verify(headers: ["x-slack-signature": "v0=00"], body: body, now: vectorEpoch)
        }
        #expect(throws: VerificationError.malformedTimestamp) {
            try adapter.verify(headers: ["x-slack-signature": "v0=00", "x-slack-request-timestamp": "soon"], body: body,
                               now: vectorEpoch)
        }
        #expect(throws: VerificationError.malformedSignature) {
            try adapter.verify(headers: ["x-slack-signature": "v1=zz", "x-slack-request-timestamp": "1700000000"],
                               body: body, now: vectorEpoch)
        }
    }

    @Test func headerNamesAreMatchedWhateverTheirCase() throws {
        let adapter = SlackAdapter(signingSecret: "test_signing_secret")
        let headers = ["X-Slack-Signature": "v0=4e74a328d4d4e81412ec9626dc265a07fad2938f4f0b66255b7659229039f755",
                       "X-Slack-Request-Timestamp": "1700000000"]
        try adapter.verify(headers: headers, body: bytes(Fixtures.slackVectorBody), now: vectorEpoch)
    }

    // MARK: LINE

    @Test func lineOfficialVectorVerifies() throws {
        let adapter = LineAdapter(channelSecret: "channel_secret")
        try adapter.verify(headers: ["x-line-signature": "/gg9a+LvFevTH1sd7XCQycD7tsWclCsInj7MhBHxN7k="],
                           body: bytes("bodybodybodybody"), now: vectorEpoch)
    }

    @Test func lineJapaneseVectorVerifies() throws {
        let body = bytes(Fixtures.lineVectorBody)
        #expect(body.count == 359)
        #expect(sha256Hex(body).hasPrefix("0b930020") && sha256Hex(body).hasSuffix("6419"))
        let adapter = LineAdapter(channelSecret: "test_channel_secret")
        try adapter.verify(headers: ["x-line-signature": "2wEwbRbki27UMTWdtk1LEMBayB2icjv0L6vD+hK99aU="], body: body,
                           now: vectorEpoch)
    }

    @Test func lineTamperingFails() {
        let adapter = LineAdapter(channelSecret: "test_channel_secret")
        let tampered = bytes(Fixtures.lineVectorBody.replacingOccurrences(of: "rt-1", with: "rt-2"))
        #expect(throws: VerificationError.signatureMismatch) {
            try adapter.verify(headers: ["x-line-signature": "2wEwbRbki27UMTWdtk1LEMBayB2icjv0L6vD+hK99aU="],
                               body: tampered, now: vectorEpoch)
        }
        #expect(throws: VerificationError.signatureMismatch) {
            try adapter.verify(headers: ["x-line-signature": "3wEwbRbki27UMTWdtk1LEMBayB2icjv0L6vD+hK99aU="],
                               body: bytes(Fixtures.lineVectorBody), now: vectorEpoch)
        }
        #expect(throws: VerificationError.malformedSignature) {
            try adapter.verify(headers: ["x-line-signature": "not base64!"], body: bytes(Fixtures.lineVectorBody),
                               now: vectorEpoch)
        }
        #expect(throws: VerificationError.missingHeader("x-line-signature")) {
            try adapter.verify(headers: [:], body: bytes(Fixtures.lineVectorBody), now: vectorEpoch)
        }
    }

    // MARK: LINE WORKS

    @Test func lineWorksJapaneseVectorVerifies() throws {
        let body = bytes(Fixtures.lineWorksVectorBody)
        #expect(body.count == 158)
        #expect(sha256Hex(body).hasPrefix("9eba1428") && sha256Hex(body).hasSuffix("7feb"))
        let adapter = LineWorksAdapter(botID: "2000001", botSecret: "test_bot_secret")
        // The header's casing may change (messengers.md §4).
        try adapter.verify(headers: ["X-WORKS-Signature": "NyvTZJLcjfLfOvY7Xqph/WYh7XJOHItTdW9GC0Dn6Gw="], body: body,
                           now: vectorEpoch)
        try adapter.verify(headers: ["x-works-signature": "NyvTZJLcjfLfOvY7Xqph/WYh7XJOHItTdW9GC0Dn6Gw="], body: body,
                           now: vectorEpoch)
    }

    @Test func lineWorksTamperingFails() {
        let adapter = LineWorksAdapter(botID: "2000001", botSecret: "test_bot_secret")
        let tampered = bytes(Fixtures.lineWorksVectorBody.replacingOccurrences(of: "u-1", with: "u-2"))
        #expect(throws: VerificationError.signatureMismatch) {
            try adapter.verify(headers: ["x-works-signature": "NyvTZJLcjfLfOvY7Xqph/WYh7XJOHItTdW9GC0Dn6Gw="],
                               body: tampered, now: vectorEpoch)
        }
        // The LINE channel secret is not the LINE WORKS bot secret.
        let wrongKey = LineWorksAdapter(botID: "2000001", botSecret: "test_channel_secret")
        #expect(throws: VerificationError.signatureMismatch) {
            try wrongKey.verify(headers: ["x-works-signature": "NyvTZJLcjfLfOvY7Xqph/WYh7XJOHItTdW9GC0Dn6Gw="],
                                body: bytes(Fixtures.lineWorksVectorBody), now: vectorEpoch)
        }
    }

    // MARK: Telegram

    @Test func telegramSecretTokenIsCompared() throws {
        let adapter = TelegramAdapter(secretToken: "s3cret_Token-1")
        let body = bytes(Fixtures.telegramText)
        try adapter.verify(headers: ["x-telegram-bot-api-secret-token": "s3cret_Token-1"], body: body, now: vectorEpoch)
        for wrong in ["s3cret_Token-2", "s3cret_Token-1 ", "s3cret_Token", "s3cret_Token-1-and-more", "x"] {
            #expect(throws: VerificationError.signatureMismatch) {
                try adapter.verify(headers: ["x-telegram-bot-api-secret-token": wrong], body: body, now: vectorEpoch)
            }
        }
        #expect(throws: VerificationError.missingHeader("x-telegram-bot-api-secret-token")) {
            try adapter.verify(headers: [:], body: body, now: vectorEpoch)
        }
    }
}
