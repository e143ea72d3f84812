import AsyncHTTPClient
import Contracts
import EmporiumCore
import EmporiumTestSupport
import Foundation
import Logging
import Testing

/// Tokens minted by an independent JOSE library (Python's jwcrypto), served from its own JWKS.
@Suite(.tags(.integration), .integrationTier, .timeLimit(.minutes(5))) struct InteropTests {
    struct Minted: Decodable {
        var issuer: String
        var tokens: [String: String]
    }

    /// Runs the jwcrypto issuer while `body` runs. A missing python3 or jwcrypto is a failure:
    /// `scripts/test` installs them.
    func withJWCryptoIssuer(_ body: (Minted) async throws -> Void) async throws {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Interop/jwcrypto_issuer.py")
        try await HelperScript.run(python: script.path, announcing: Minted.self, installHint: "pip install jwcrypto", body)
    }

    @Test func tokensFromAnotherLibraryAreAcceptedForTheirIssuer() async throws {
        try await withJWCryptoIssuer { minted in
            let client = OutboundHTTPClient()
            let verifier = AuthSettings(issuer: .fixed(minted.issuer)).makeVerifier(client: client, logger: Logger(label: "test"))
            for algorithm in ["RS256", "ES256"] {
                let principal = try await verifier.verify(try #require(minted.tokens[algorithm]))
                #expect(principal.subject == "interop-user", "\(algorithm)")
                #expect(principal.roles == [.customer])
            }
            try await client.client.shutdown()
        }
    }

    @Test func tokensFromAnotherLibraryAreRejectedForAnyOtherIssuer() async throws {
        try await withJWCryptoIssuer { minted in
            let other = TestIssuer()
            try await TokenAttackTests.withVerifier(other) { _, verifier in
                for algorithm in ["RS256", "ES256"] {
                    #expect(await TokenAttackTests.rejection(minted.tokens[algorithm]!, by: verifier) != nil, "\(algorithm)")
                }
            }
        }
    }
}
