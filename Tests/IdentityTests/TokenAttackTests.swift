import AsyncHTTPClient
import Contracts
import Crypto
import EmporiumCore
import EmporiumTestSupport
import Foundation
import JWTKit
import Logging
import Testing

/// Every way a token can be wrong, against the verifier every component uses.
@Suite(.timeLimit(.minutes(2))) struct TokenAttackTests {
    /// Runs `body` with an issuer and a verifier that trusts it.
    static func withVerifier(
        _ issuer: TestIssuer = TestIssuer(),
        audience: String = AuthSettings.defaultAudience,
        keyRefreshInterval: Duration = .seconds(60),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now },
        _ body: @Sendable @escaping (TestIssuer, AccessTokenVerifier) async throws -> Void
    ) async throws {
        let client = OutboundHTTPClient()
        do {
            try await issuer.run {
                var settings = issuer.authSettings
                settings.audience = audience
                settings.keyRefreshInterval = keyRefreshInterval
                try await body(issuer, settings.makeVerifier(client: client, logger: Logger(label: "test"), now: now))
            }
        } catch {
            try await client.client.shutdown()
            throw error
        }
        try await client.client.shutdown()
    }

    /// The verdict on `token`: nil if accepted, else the reason.
    static func rejection(_ token: String, by verifier: AccessTokenVerifier) async -> String? {
        do {
            _ = try await verifier.verify(token)
            return nil
        } catch {
            if case .invalidToken(let reason) = error { return reason }
            return "\(error)"
        }
    }

    static func base64URL(_ text: String) -> String { Base64URL.encode(Data(text.utf8)) }

    @Test func aValidTokenIsAccepted() async throws {
        try await Self.withVerifier { issuer, verifier in
            let principal = try await verifier.verify(try await issuer.token(subject: "alice", roles: ["customer", "admin"], scopes: ["openid"]))
            #expect(principal.subject == "alice")
            #expect(principal.roles == [.customer, .admin])
            #expect(principal.scopes == ["openid"])
        }
    }

    @Test func unsignedTokensAreRejected() async throws {
        try await Self.withVerifier { issuer, verifier in
            let valid = try await issuer.token()
            let payload = valid.split(separator: ".")[1]
            let kid = issuer.publishedKeys[0].kid
            for header in [#"{"alg":"none","typ":"JWT"}"#, #"{"alg":"none","kid":"\#(kid)"}"#, #"{"alg":"NONE","kid":"\#(kid)"}"#] {
                for signature in ["", "AAAA"] {
                    let token = "\(Self.base64URL(header)).\(payload).\(signature)"
                    #expect(await Self.rejection(token, by: verifier) != nil, "\(header) with signature '\(signature)'")
                }
            }
        }
    }

    /// The classic confusion: HS256 "signed" with the issuer's public key as the HMAC secret.
    @Test func hmacSignedWithThePublicKeyIsRejected() async throws {
        try await Self.withVerifier { issuer, verifier in
            let key = issuer.publishedKeys[0]
            let valid = try await issuer.token(roles: ["admin"])
            let payload = valid.split(separator: ".")[1]
            let header = Self.base64URL(#"{"alg":"HS256","typ":"JWT","kid":"\#(key.kid)"}"#)
            let signingInput = "\(header).\(payload)"
            let secrets = [Data(key.privateKey.publicKey.pemRepresentation.utf8), Data(String(describing: key.jwk).utf8)]
            for secret in secrets {
                let mac = HMAC<SHA256>.authenticationCode(for: Data(signingInput.utf8), using: SymmetricKey(data: secret))
                let token = signingInput + "." + Base64URL.encode(Data(mac))
                #expect(await Self.rejection(token, by: verifier) == "the algorithm HS256 is not accepted")
            }
        }
    }

    @Test func expiredAndNotYetValidTokensAreRejected() async throws {
        try await Self.withVerifier { issuer, verifier in
            let expired = issuer.claims(lifetime: .seconds(60), issuedAt: Date().addingTimeInterval(-600))
            do {
                let token = try await issuer.sign(expired)
                #expect(await Self.rejection(token, by: verifier) == "it has expired")
            }
            // Within the leeway (30 s), a token that just expired still passes: clocks differ.
            let justExpired = issuer.claims(lifetime: .seconds(60), issuedAt: Date().addingTimeInterval(-70))
            do {
                let token = try await issuer.sign(justExpired)
                #expect(await Self.rejection(token, by: verifier) == nil)
            }

            var future = issuer.claims()
            future.nbf = NotBeforeClaim(value: Date().addingTimeInterval(600))
            do {
                let token = try await issuer.sign(future)
                #expect(await Self.rejection(token, by: verifier) == "it is not valid yet")
            }
        }
    }

    @Test func wrongIssuerAndAudienceAreRejected() async throws {
        try await Self.withVerifier { issuer, verifier in
            var foreign = issuer.claims()
            foreign.iss = IssuerClaim(value: "https://evil.example.com")
            do {
                let token = try await issuer.sign(foreign)
                #expect(await Self.rejection(token, by: verifier) == "it was issued by someone else")
            }

            var otherAudience = issuer.claims()
            otherAudience.aud = AudienceClaim(value: ["another-api"])
            do {
                let token = try await issuer.sign(otherAudience)
                #expect(await Self.rejection(token, by: verifier) == "it is meant for another audience")
            }
        }
    }

    @Test func unknownKeysAndTamperingAreRejected() async throws {
        try await Self.withVerifier { issuer, verifier in
            let stranger = TestIssuer.Key()
            do {
                let token = try await issuer.sign(issuer.claims(), with: stranger)
                #expect(await Self.rejection(token, by: verifier) == "it is signed by an unknown key")
            }

            // A stranger's key under the issuer's kid: the signature fails.
            let impostor = TestIssuer.Key(kid: issuer.publishedKeys[0].kid)
            do {
                let token = try await issuer.sign(issuer.claims(), with: impostor)
                #expect(await Self.rejection(token, by: verifier) == "its signature does not verify")
            }

            // A customer's token with its payload changed to claim the admin role.
            let parts = try await issuer.token(roles: ["customer"]).split(separator: ".").map(String.init)
            let payload = String(decoding: try #require(Base64URL.decode(parts[1])), as: UTF8.self)
            let tampered = Self.base64URL(payload.replacingOccurrences(of: #"["customer"]"#, with: #"["admin"]"#))
            #expect(tampered != parts[1])
            #expect(await Self.rejection("\(parts[0]).\(tampered).\(parts[2])", by: verifier) == "its signature does not verify")
        }
    }

    @Test func malformedTokensAreRejected() async throws {
        try await Self.withVerifier { issuer, verifier in
            let valid = try await issuer.token()
            let parts = valid.split(separator: ".").map(String.init)
            let noKid = Self.base64URL(#"{"alg":"ES256"}"#)
            let critical = Self.base64URL(#"{"alg":"ES256","kid":"\#(issuer.publishedKeys[0].kid)","crit":["exp"]}"#)
            let cases = [
                "", "abc", "a.b", "a.b.c.d", "\(parts[0]).\(parts[1]).", "!!!.\(parts[1]).\(parts[2])",
                "\(noKid).\(parts[1]).\(parts[2])", "\(critical).\(parts[1]).\(parts[2])", "\(parts[0]).bm90IGpzb24.\(parts[2])",
            ]
            for token in cases {
                #expect(await Self.rejection(token, by: verifier) != nil, "\(token)")
            }
        }
    }
}
