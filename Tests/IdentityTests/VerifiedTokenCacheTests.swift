import AsyncHTTPClient
import EmporiumCore
import EmporiumTestSupport
import Foundation
import Logging
import Synchronization
import Testing

/// A verifier remembers the tokens it verified until they expire, and nothing else: an expired
/// token is refused though it was accepted before, a forged one is refused however often it is
/// sent, and the memory stays bounded.
@Suite(.timeLimit(.minutes(2))) struct VerifiedTokenCacheTests {
    /// The real clock, moved ahead by the test. It starts two seconds ahead, so that with no
    /// leeway a token issued at any moment of the test is already valid, however slow the machine.
    final class WallClock: Sendable {
        private let offset = Mutex<TimeInterval>(2)
        func advance(_ seconds: TimeInterval) { offset.withLock { $0 += seconds } }
        var read: @Sendable () -> Date { { Date().addingTimeInterval(self.offset.withLock { $0 }) } }
    }

    /// Runs `body` with an issuer and a verifier on `clock`, with no leeway.
    static func withVerifier(
        clock: WallClock, capacity: Int = AccessTokenVerifier.defaultVerifiedTokenCapacity,
        _ body: @Sendable @escaping (TestIssuer, AccessTokenVerifier) async throws -> Void
    ) async throws {
        let client = OutboundHTTPClient()
        let issuer = TestIssuer()
        do {
            try await issuer.run {
                let settings = issuer.authSettings
                let keys = IssuerKeyCache(issuer: settings.issuer, client: client, logger: Logger(label: "test"))
                try await body(
                    issuer,
                    AccessTokenVerifier(
                        issuer: settings.issuer, audience: settings.audience, keys: keys, leeway: .zero, now: clock.read,
                        verifiedTokenCapacity: capacity))
            }
        } catch {
            try await client.client.shutdown()
            throw error
        }
        try await client.client.shutdown()
    }

    @Test func aRememberedTokenIsStillRefusedOnceItExpires() async throws {
        let clock = WallClock()
        try await Self.withVerifier(clock: clock) { issuer, verifier in
            let token = try await issuer.sign(issuer.claims(subject: "ada", lifetime: .seconds(60)))
            #expect(try await verifier.verify(token).subject == "ada")
            #expect(try await verifier.verify(token).subject == "ada", "answered again, from memory")
            #expect(verifier.rememberedTokenCount == 1)
            #expect(issuer.jwksFetches == 1)
            clock.advance(61)
            await #expect(throws: AuthenticationFailure.invalidToken(reason: "it has expired")) { try await verifier.verify(token) }
        }
    }

    @Test func aTokenThatFailedIsNeverRemembered() async throws {
        let clock = WallClock()
        try await Self.withVerifier(clock: clock) { issuer, verifier in
            let valid = try await issuer.token(roles: ["customer"])
            _ = try await verifier.verify(valid)
            // The same claims with admin added, under the valid token's signature.
            let parts = valid.split(separator: ".").map(String.init)
            var payload = try JSONSerialization.jsonObject(with: try #require(Base64URL.decode(parts[1]))) as! [String: Any]
            payload["roles"] = ["customer", "admin"]
            let forged = [parts[0], Base64URL.encode(try JSONSerialization.data(withJSONObject: payload)), parts[2]].joined(separator: ".")
            for _ in 0..<3 {
                await #expect(throws: AuthenticationFailure.invalidToken(reason: "its signature does not verify")) {
                    try await verifier.verify(forged)
                }
            }
            #expect(verifier.rememberedTokenCount == 1, "only the valid one")
        }
    }

    @Test func theMemoryIsBounded() async throws {
        let clock = WallClock()
        try await Self.withVerifier(clock: clock, capacity: 8) { issuer, verifier in
            let first = try await issuer.token()
            _ = try await verifier.verify(first)
            for _ in 0..<20 {
                _ = try await verifier.verify(try await issuer.token())
                #expect(verifier.rememberedTokenCount <= 8)
            }
            // Forgotten, the first is verified again in full, and still accepted.
            _ = try await verifier.verify(first)
            #expect(issuer.jwksFetches == 1)
        }
    }
}
