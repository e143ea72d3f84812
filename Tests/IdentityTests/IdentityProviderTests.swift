import Contracts
import EmporiumCore
import Foundation
import NIOHTTP1
import Testing

@testable import IdentityProvider

/// The identity-provider simulator over HTTP: discovery, grants, refresh-token rotation,
/// brute-force protection, the admin API and key rotation.
@Suite(.timeLimit(.minutes(2))) struct IdentityProviderTests {
    struct Metadata: Decodable {
        var issuer: String
        var jwks_uri: String
        var token_endpoint: String
    }

    struct JWKS: Decodable {
        struct Key: Decodable {
            var kid: String
            var kty: String
            var alg: String
        }
        var keys: [Key]
    }

    @Test func discoveryNamesItselfAndPublishesTwoKeys() async throws {
        try await IdentityProviderFixture.run { idp in
            let metadata = try await idp.send(.GET, "/.well-known/openid-configuration").decode(Metadata.self)
            #expect(metadata.issuer == idp.url)
            #expect(metadata.token_endpoint == idp.url + "/token")
            let jwks = try await idp.send(.GET, "/.well-known/jwks.json").decode(JWKS.self)
            #expect(jwks.keys.count == 2)
            #expect(Set(jwks.keys.map(\.kid)).count == 2)
            #expect(jwks.keys.allSatisfy { $0.kty == "EC" && $0.alg == "ES256" })
        }
    }

    @Test func passwordGrantIssuesAVerifiableTokenAndARefreshToken() async throws {
        try await IdentityProviderFixture.run { idp in
            let account = try await idp.createAccount("carol@example.com", "carol's passphrase")
            let answer = try await idp.login("CAROL@example.com", "carol's passphrase")
            #expect(answer.status == 200)
            #expect(answer.headers.first(name: "cache-control") == "no-store")
            let tokens = try answer.decode(TokenResponse.self)
            #expect(tokens.tokenType == "Bearer")
            #expect(tokens.expiresIn == 600)
            #expect(tokens.refreshToken != nil)
            try await idp.withVerifier { verifier in
                let principal = try await verifier.verify(tokens.accessToken)
                #expect(principal.subject == account.id.uuidString)
                #expect(principal.roles == [.customer])
                #expect(principal.clientID == "emporium-web")
            }
        }
    }

    @Test func refreshTokensRotateAndReuseRevokesTheFamily() async throws {
        try await IdentityProviderFixture.run { idp in
            try await idp.createAccount("dan@example.com", "dan's passphrase")
            let first = try await idp.login("dan@example.com", "dan's passphrase").decode(TokenResponse.self)
            let refresh1 = try #require(first.refreshToken)
            let second = try await idp.token(["grant_type": "refresh_token", "client_id": "emporium-web", "refresh_token": refresh1])
            #expect(second.status == 200)
            let refresh2 = try #require(try second.decode(TokenResponse.self).refreshToken)
            #expect(refresh2 != refresh1)

            // The old token again: someone else holds it. Refused, and the whole family revoked.
            let replay = try await idp.token(["grant_type": "refresh_token", "client_id": "emporium-web", "refresh_token": refresh1])
            #expect(replay.status == 400)
            #expect(replay.oauthError == "invalid_grant")
            let afterReplay = try await idp.token(["grant_type": "refresh_token", "client_id": "emporium-web", "refresh_token": refresh2])
            #expect(afterReplay.status == 400)
            #expect(afterReplay.oauthError == "invalid_grant")

            // A new login starts a new family.
            #expect(try await idp.login("dan@example.com", "dan's passphrase").status == 200)
        }
    }

    @Test func concurrentUseOfOneRefreshTokenSucceedsOnce() async throws {
        try await IdentityProviderFixture.run { idp in
            try await idp.createAccount("erin@example.com", "erin's passphrase")
            let refresh = try #require(try await idp.login("erin@example.com", "erin's passphrase").decode(TokenResponse.self).refreshToken)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<5 {
                    group.addTask {
                        try await idp.token(["grant_type": "refresh_token", "client_id": "emporium-web", "refresh_token": refresh]).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 1)
        }
    }

    @Test func clientCredentialsAreNarrowAndChecked() async throws {
        try await IdentityProviderFixture.run { idp in
            let narrow = try await idp.token(
                ["grant_type": "client_credentials", "scope": "idp.accounts"],
                basic: ClientCredentials(clientID: "operator", secret: IdentityProviderFixture.operatorSecret)
            )
            #expect(try narrow.decode(TokenResponse.self).scope == "idp.accounts")
            #expect(try narrow.decode(TokenResponse.self).refreshToken == nil)

            let tooWide = try await idp.token(
                ["grant_type": "client_credentials", "scope": "idp.keys"],
                basic: ClientCredentials(clientID: "user-service", secret: IdentityProviderFixture.userServiceSecret)
            )
            #expect(tooWide.oauthError == "invalid_scope")

            let wrongSecret = try await idp.token(
                ["grant_type": "client_credentials"], basic: ClientCredentials(clientID: "user-service", secret: "guess"))
            #expect(wrongSecret.status == 401)
            #expect(wrongSecret.oauthError == "invalid_client")
            #expect(wrongSecret.headers.first(name: "www-authenticate")?.hasPrefix("Basic") == true)

            // The public storefront client cannot act as a service.
            let publicClient = try await idp.token(["grant_type": "client_credentials", "client_id": "emporium-web"])
            #expect(publicClient.oauthError == "unauthorized_client")
            #expect(try await idp.token(["grant_type": "implicit", "client_id": "emporium-web"]).oauthError == "unsupported_grant_type")
            #expect(try await idp.token(["client_id": "emporium-web"]).oauthError == "invalid_request")
            let json = try await idp.send(
                .POST, "/token", headers: [("Content-Type", "application/json")], body: Data(#"{"grant_type":"password"}"#.utf8))
            #expect(json.oauthError == "invalid_request")
        }
    }

    @Test func repeatedFailedLoginsLockTheAccount() async throws {
        try await IdentityProviderFixture.run { idp in
            try await idp.createAccount("fay@example.com", "fay's passphrase")
            for _ in 0..<2 {
                let wrong = try await idp.login("fay@example.com", "not the passphrase")
                #expect(wrong.oauthError == "invalid_grant")
            }
            let third = try await idp.login("fay@example.com", "not the passphrase")
            #expect(String(decoding: third.body, as: UTF8.self).contains("locked"))
            // Locked: even the right password is refused until the lock expires.
            let right = try await idp.login("fay@example.com", "fay's passphrase")
            #expect(right.status == 400)
            #expect(String(decoding: right.body, as: UTF8.self).contains("locked"))
        }
    }

    @Test func adminAPINeedsTheAccountsScope() async throws {
        try await IdentityProviderFixture.run { idp in
            let body = try JSONEncoder().encode(NewAccount(email: "gus@example.com", password: "gus's passphrase", name: "Gus"))
            let json = ("Content-Type", "application/json")
            #expect(try await idp.send(.POST, "/admin/accounts", headers: [json], body: body).status == 401)

            try await idp.createAccount("hal@example.com", "hal's passphrase")
            let customer = try await idp.login("hal@example.com", "hal's passphrase").decode(TokenResponse.self).accessToken
            let asCustomer = try await idp.send(.POST, "/admin/accounts", headers: [json, ("Authorization", "Bearer \(customer)")], body: body)
            #expect(asCustomer.status == 403)

            let service = try await idp.serviceToken("user-service", IdentityProviderFixture.userServiceSecret)
            let auth = ("Authorization", "Bearer \(service)")
            #expect(try await idp.send(.POST, "/admin/accounts", headers: [json, auth], body: body).status == 201)
            let duplicate = try await idp.send(.POST, "/admin/accounts", headers: [json, auth], body: body)
            #expect(duplicate.status == 409)
            let weak = try JSONEncoder().encode(NewAccount(email: "ivy@example.com", password: "short", name: "Ivy"))
            #expect(try await idp.send(.POST, "/admin/accounts", headers: [json, auth], body: weak).status == 400)
            // Rotating keys is another scope.
            #expect(try await idp.send(.POST, "/admin/keys/rotate", headers: [auth]).status == 403)
        }
    }

    @Test func aDisabledAccountCannotLogInOrRefresh() async throws {
        try await IdentityProviderFixture.run { idp in
            let account = try await idp.createAccount("jo@example.com", "jo's passphrase")
            let refresh = try #require(try await idp.login("jo@example.com", "jo's passphrase").decode(TokenResponse.self).refreshToken)
            let service = try await idp.serviceToken("user-service", IdentityProviderFixture.userServiceSecret)
            let disabled = try await idp.send(.POST, "/admin/accounts/\(account.id)/disable", headers: [("Authorization", "Bearer \(service)")])
            #expect(try disabled.decode(AccountRepresentation.self).disabled)
            #expect(try await idp.login("jo@example.com", "jo's passphrase").status == 400)
            #expect(try await idp.token(["grant_type": "refresh_token", "client_id": "emporium-web", "refresh_token": refresh]).status == 400)
        }
    }

    /// Rotation never invalidates a valid token early: the old key stays published while its tokens live.
    @Test func rotationKeepsOldTokensValid() async throws {
        try await IdentityProviderFixture.run { idp in
            try await idp.createAccount("kim@example.com", "kim's passphrase")
            let before = try await idp.login("kim@example.com", "kim's passphrase").decode(TokenResponse.self).accessToken
            let keysBefore = try await idp.send(.GET, "/.well-known/jwks.json").decode(JWKS.self).keys.map(\.kid)
            try await idp.withVerifier { verifier in
                _ = try await verifier.verify(before)
                let operatorToken = try await idp.serviceToken("operator", IdentityProviderFixture.operatorSecret, scope: "idp.keys")
                let rotated = try await idp.send(.POST, "/admin/keys/rotate", headers: [("Authorization", "Bearer \(operatorToken)")])
                #expect(rotated.status == 200)

                let keysAfter = try await idp.send(.GET, "/.well-known/jwks.json").decode(JWKS.self).keys.map(\.kid)
                #expect(keysAfter.count == 3)
                #expect(Set(keysBefore).isSubset(of: Set(keysAfter)))

                let after = try await idp.login("kim@example.com", "kim's passphrase").decode(TokenResponse.self).accessToken
                // The next key, published before the rotation, now signs.
                #expect(Self.kid(of: after) != Self.kid(of: before))
                #expect(keysBefore.contains(Self.kid(of: after)))
                _ = try await verifier.verify(after)
                _ = try await verifier.verify(before)
            }
        }
    }

    static func kid(of token: String) -> String {
        let header = Base64URL.decode(token.split(separator: ".")[0])!
        return (try! JSONDecoder().decode([String: String].self, from: header))["kid"]!
    }
}

/// Failed logins slow down before they lock.
@Suite(.timeLimit(.minutes(2))) struct LoginThrottleTests {
    @Test func eachFailureAfterTheFirstWaitsLonger() {
        let throttle = LoginThrottle(maxFailures: 10, lockDuration: .seconds(60), baseDelay: .milliseconds(250))
        #expect(throttle.delay(afterFailures: 1) == .zero)
        #expect(throttle.delay(afterFailures: 2) == .milliseconds(250))
        #expect(throttle.delay(afterFailures: 3) == .milliseconds(500))
        #expect(throttle.delay(afterFailures: 6) == .seconds(4))
        #expect(throttle.delay(afterFailures: 9) == .seconds(4))
    }

    @Test func theSecondFailureInARowIsAnsweredLater() async throws {
        let throttle = LoginThrottle(maxFailures: 10, lockDuration: .seconds(60), baseDelay: .milliseconds(400))
        try await IdentityProviderFixture.run(throttle: throttle) { idp in
            try await idp.createAccount("lee@example.com", "lee's passphrase")
            _ = try await idp.login("lee@example.com", "wrong guess one")
            let clock = ContinuousClock()
            let elapsed = try await clock.measure { _ = try await idp.login("lee@example.com", "wrong guess two") }
            // A lower bound only: the answer cannot come before the delay, however fast the machine.
            #expect(elapsed >= .milliseconds(400))
        }
    }
}
