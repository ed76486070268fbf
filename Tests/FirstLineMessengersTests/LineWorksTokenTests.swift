import Crypto
import FirstLineCore
import FirstLineMessengers
import FirstLineTestSupport
import Foundation
import Testing
import _CryptoExtras

@Suite struct LineWorksTokenTests {
    private func base64URLDecode(_ text: String) throws -> Data {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return try #require(Data(base64Encoded: base64))
    }

    @Test func assertionIsASignedRS256JWT() async throws {
        try await FakeSetup.with { setup in
            let token = try await setup.tokens.accessToken()
            #expect(token == "fake-lineworks-token-1")

            let calls = await setup.fake.calls(pathContaining: "/oauth2/v2.0/token")
            try #require(calls.count == 1)
            #expect(calls[0].headers["content-type"] == "application/x-www-form-urlencoded")
            let form = calls[0].formBody
            #expect(form["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer")
            #expect(form["client_id"] == "client-id")
            #expect(form["client_secret"] == "client secret+/=&")
            #expect(form["scope"] == "bot")

            let jwt = try #require(form["assertion"])
            let parts = jwt.split(separator: ".").map(String.init)
            try #require(parts.count == 3)
            let header = try jsonObject(Array(try base64URLDecode(parts[0])))
            #expect(header["alg"] as? String == "RS256")
            #expect(header["typ"] as? String == "JWT")
            let claims = try jsonObject(Array(try base64URLDecode(parts[1])))
            #expect(claims["iss"] as? String == "client-id")
            #expect(claims["sub"] as? String == "abcde.serviceaccount@example.com")
            #expect(claims["iat"] as? Int == 1_700_000_000)
            #expect(claims["exp"] as? Int == 1_700_003_600)

            let signature = _RSA.Signing.RSASignature(rawRepresentation: try base64URLDecode(parts[2]))
            let digest = SHA256.hash(data: Array("\(parts[0]).\(parts[1])".utf8))
            #expect(testPrivateKey.publicKey.isValidSignature(signature, for: digest, padding: .insecurePKCS1v1_5))
            // RS256 is PKCS#1 v1.5, not PSS (swift-crypto's default).
            #expect(!testPrivateKey.publicKey.isValidSignature(signature, for: digest, padding: .PSS))
            let otherDigest = SHA256.hash(data: Array("\(parts[0]).e30".utf8))
            #expect(!testPrivateKey.publicKey.isValidSignature(signature, for: otherDigest, padding: .insecurePKCS1v1_5))
        }
    }

    @Test func tokenIsCachedThenRefreshedBeforeExpiry() async throws {
        try await FakeSetup.with { setup in
            await setup.fake.setTokenLifetime(600)
            #expect(try await setup.tokens.accessToken() == "fake-lineworks-token-1")
            setup.clock.advance(by: 200)
            #expect(try await setup.tokens.accessToken() == "fake-lineworks-token-1")
            #expect(await setup.fake.calls(pathContaining: "/oauth2").count == 1)
            // 301 s in, less than the 300 s margin remains: replaced before it can expire in use.
            setup.clock.advance(by: 101)
            #expect(try await setup.tokens.accessToken() == "fake-lineworks-token-2")
            #expect(await setup.fake.calls(pathContaining: "/oauth2").count == 2)
            let jwt = try #require(await setup.fake.calls(pathContaining: "/oauth2")[1].formBody["assertion"])
            let claims = try jsonObject(Array(try base64URLDecode(String(jwt.split(separator: ".")[1]))))
            #expect(claims["iat"] as? Int == 1_700_000_301)
        }
    }

    @Test func expiresInAsAStringIsUnderstood() async throws {
        try await FakeSetup.with { setup in
            await setup.fake.setTokenLifetime(86400, asString: true)
            _ = try await setup.tokens.accessToken()
            setup.clock.advance(by: 3600)
            _ = try await setup.tokens.accessToken()
            #expect(await setup.fake.calls(pathContaining: "/oauth2").count == 1)
            setup.clock.advance(by: 86400)
            #expect(try await setup.tokens.accessToken() == "fake-lineworks-token-2")
        }
    }

    @Test func concurrentCallersShareOneRefresh() async throws {
        try await FakeSetup.with { setup in
            await setup.fake.failNext(.slow(seconds: 0.3), pathContaining: "/oauth2")
            let tokens = setup.tokens
            let results = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<8 { group.addTask { try await tokens.accessToken() } }
                var all: [String] = []
                for try await token in group { all.append(token) }
                return all
            }
            #expect(results.count == 8)
            #expect(Set(results) == ["fake-lineworks-token-1"])
            #expect(await setup.fake.calls(pathContaining: "/oauth2").count == 1)
        }
    }

    @Test func a401RefreshesTheTokenAndRetriesOnce() async throws {
        try await FakeSetup.with { setup in
            let request = try setup.adapter(.lineworks).render(Reply(text: "안녕하세요"), to: .lineWorksUser(userID: "u-1"),
                                                               replyToken: nil, idempotencyKey: "k", now: vectorEpoch)[0]
            #expect(await setup.client.send(request).isDelivered)
            await setup.fake.revokeTokens()
            #expect(await setup.client.send(request) == .delivered(.init(status: 201)))
            let calls = await setup.fake.calls
            #expect(calls.map(\.path) == ["/oauth2/v2.0/token", "/bots/2000001/users/u-1/messages",
                                          "/bots/2000001/users/u-1/messages", "/oauth2/v2.0/token",
                                          "/bots/2000001/users/u-1/messages"])
            #expect(calls[2].headers["authorization"] == "Bearer fake-lineworks-token-1")
            #expect(calls[4].headers["authorization"] == "Bearer fake-lineworks-token-2")
        }
    }

    @Test func refusedAndFailingAuthServer() async throws {
        try await FakeSetup.with { setup in
            let request = try setup.adapter(.lineworks).render(Reply(text: "x"), to: .lineWorksUser(userID: "u-1"),
                                                               replyToken: nil, idempotencyKey: "k", now: vectorEpoch)[0]
            await setup.fake.failNext(.status(400), pathContaining: "/oauth2")
            let refused = await setup.client.send(request)
            guard case let .permanent(failure) = refused else { Issue.record("\(refused)"); return }
            #expect(failure.status == 400)
            #expect(!failure.reason.contains("client secret"))

            await setup.fake.failNext(.serverError(status: 503), pathContaining: "/oauth2")
            await #expect(throws: LineWorksTokenError.unavailable(status: 503)) {
                try await setup.tokens.accessToken()
            }
            // The failed refreshes are not cached: the next call tries again and succeeds.
            #expect(await setup.client.send(request).isDelivered)
        }
    }
}
