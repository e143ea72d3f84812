import AsyncHTTPClient
import Contracts
import EmporiumCore
import Foundation
import HTTPTypes
import Testing

/// Service-to-service tokens: narrow, and cached until shortly before they expire.
@Suite(.timeLimit(.minutes(2))) struct ServiceTokenTests {
    @Test func aServiceTokenIsCachedUntilShortlyBeforeExpiry() async throws {
        try await IdentityProviderFixture.run { idp in
            let client = OutboundHTTPClient()
            let credentials = ClientCredentials(clientID: "user-service", secret: IdentityProviderFixture.userServiceSecret)
            let cached = ServiceTokenProvider(
                issuer: .fixed(idp.url), credentials: credentials, scopes: [ServiceScope.manageAccounts], client: client)
            let first = try await cached.token()
            #expect(try await cached.token() == first)

            // Renewing 600 s before a 600 s token expires means renewing every time.
            let eager = ServiceTokenProvider(
                issuer: .fixed(idp.url),
                credentials: credentials,
                scopes: [ServiceScope.manageAccounts],
                client: client,
                renewBefore: .seconds(600)
            )
            let one = try await eager.token()
            let two = try await eager.token()
            #expect(one != two)

            try await idp.withVerifier { verifier in
                let principal = try await verifier.verify(first)
                #expect(principal.isService)
                #expect(principal.scopes == [ServiceScope.manageAccounts])
                #expect(principal.roles.isEmpty)
            }
            try await client.client.shutdown()
        }
    }

    @Test func wrongCredentialsAreAnUnavailableProviderNotACrash() async throws {
        try await IdentityProviderFixture.run { idp in
            let client = OutboundHTTPClient()
            let provider = ServiceTokenProvider(
                issuer: .fixed(idp.url),
                credentials: ClientCredentials(clientID: "user-service", secret: "wrong"),
                scopes: [ServiceScope.manageAccounts],
                client: client
            )
            do {
                _ = try await provider.token()
                Issue.record("a token was issued for a wrong secret")
            } catch {
                #expect((error as? AuthenticationFailure)?.problem.status == .serviceUnavailable)
            }
            try await client.client.shutdown()
        }
    }
}
