import AsyncHTTPClient
import Configuration
import Crypto
import EmporiumCore
import Foundation
import IdentityProvider
import NIOHTTP1
import Testing

/// The code flow at the provider's own sign-in page: what a browser and the storefront's back
/// channel see, request by request. The independent client's view is in Tests/Browser/test_oidc_client.py.
@Suite(.timeLimit(.minutes(1))) struct AuthorizationCodeFlowTests {
    static let verifier = "a-code-verifier-of-forty-three-characters-at-least"
    static var challenge: String { Base64URL.encode(Data(SHA256.hash(data: Data(verifier.utf8)))) }
    static let storefront = ClientCredentials(clientID: "storefront", secret: IdentityProviderFixture.storefrontSecret)

    static func authorizePath(redirect: String = IdentityProviderFixture.storefrontCallback, challenge: String? = challenge) -> String {
        var fields = [
            "response_type": "code", "client_id": "storefront", "redirect_uri": redirect, "scope": "openid profile", "state": "the state",
            "nonce": "the nonce",
        ]
        if let challenge {
            fields["code_challenge"] = challenge
            fields["code_challenge_method"] = "S256"
        }
        return "/authorize?" + FormEncoding.encode(fields)
    }

    /// The sign-in form's cookie and hidden fields, as a browser gets them.
    static func form(_ idp: IdentityProviderFixture) async throws -> (cookie: String, fields: [String: String]) {
        let page = try await idp.send(.GET, authorizePath())
        #expect(page.status == 200)
        let policy = try #require(page.headers.first(name: "content-security-policy"))
        #expect(policy.contains("default-src 'none'") && policy.contains("frame-ancestors 'none'"))
        let cookie = try #require(page.headers.first(name: "set-cookie")?.split(separator: ";").first.map(String.init))
        let html = String(decoding: page.body, as: UTF8.self)
        var fields: [String: String] = [:]
        for match in html.matches(of: /<input type="hidden" name="([^"]+)" value="([^"]*)">/) {
            fields[String(match.1)] = String(match.2).replacingOccurrences(of: "&amp;", with: "&")
        }
        return (cookie, fields)
    }

    static func post(_ idp: IdentityProviderFixture, cookie: String?, fields: [String: String]) async throws -> IdentityProviderFixture.Answer {
        var headers = [("Content-Type", "application/x-www-form-urlencoded")]
        if let cookie { headers.append(("Cookie", cookie)) }
        return try await idp.send(.POST, "/authorize", headers: headers, body: Data(FormEncoding.encode(fields).utf8))
    }

    static func code(in answer: IdentityProviderFixture.Answer) throws -> String {
        #expect(answer.status == 302)
        let location = try #require(answer.headers.first(name: "location"))
        #expect(location.hasPrefix(IdentityProviderFixture.storefrontCallback + "?"))
        let query = try #require(URLComponents(string: location)?.queryItems)
        #expect(query.first { $0.name == "state" }?.value == "the state")
        return try #require(query.first { $0.name == "code" }?.value)
    }

    func redeem(_ idp: IdentityProviderFixture, code: String, verifier: String = verifier) async throws -> IdentityProviderFixture.Answer {
        try await idp.token(
            [
                "grant_type": "authorization_code", "code": code, "redirect_uri": IdentityProviderFixture.storefrontCallback,
                "code_verifier": verifier,
            ],
            basic: Self.storefront)
    }

    @Test func aSignInAtThePageGivesACodeThatRedeemsOnceForTokensAndAnIDToken() async throws {
        try await IdentityProviderFixture.run { idp in
            try await idp.createAccount("flow@example.com", "a long passphrase")
            let (cookie, hidden) = try await Self.form(idp)
            let wrong = try await Self.post(idp, cookie: cookie, fields: hidden.merging(["email": "flow@example.com", "password": "nope"]) { $1 })
            #expect(wrong.status == 401)
            #expect(String(decoding: wrong.body, as: UTF8.self).contains("The email or password is wrong."))

            let signedIn = try await Self.post(
                idp, cookie: cookie, fields: hidden.merging(["email": "flow@example.com", "password": "a long passphrase"]) { $1 })
            let code = try Self.code(in: signedIn)
            let answer = try await redeem(idp, code: code)
            #expect(answer.status == 200)
            let tokens = try answer.decode(TokenResponse.self)
            let idToken = try #require(tokens.idToken)
            try await idp.withVerifier { verifier in
                let claims = try await verifier.verifyIDToken(idToken, clientID: "storefront", nonce: "the nonce")
                #expect(claims.email == "flow@example.com")
                #expect(abs(claims.authTime - Int(Date().timeIntervalSince1970)) < 30)
                await #expect(throws: AuthenticationFailure.self) {
                    try await verifier.verifyIDToken(idToken, clientID: "storefront", nonce: "another")
                }
                await #expect(throws: AuthenticationFailure.self) { try await verifier.verify(idToken) }  // not an access token
            }
            // A second redemption fails and takes the first one's refresh token with it.
            #expect(try await redeem(idp, code: code).oauthError == "invalid_grant")
            let refresh = try await idp.token(
                ["grant_type": "refresh_token", "refresh_token": try #require(tokens.refreshToken)], basic: Self.storefront)
            #expect(refresh.oauthError == "invalid_grant")
        }
    }

    @Test func aCodeNeedsItsVerifierItsClientAndItsRedirect() async throws {
        try await IdentityProviderFixture.run { idp in
            try await idp.createAccount("pkce@example.com", "a long passphrase")
            for attempt in 0..<3 {
                let (cookie, hidden) = try await Self.form(idp)
                let code = try Self.code(
                    in: try await Self.post(
                        idp, cookie: cookie, fields: hidden.merging(["email": "pkce@example.com", "password": "a long passphrase"]) { $1 }))
                let answer: IdentityProviderFixture.Answer
                switch attempt {
                case 0: answer = try await redeem(idp, code: code, verifier: String(repeating: "x", count: 50))
                case 1:
                    answer = try await idp.token(
                        [
                            "grant_type": "authorization_code", "code": code, "redirect_uri": IdentityProviderFixture.storefrontCallback,
                            "code_verifier": Self.verifier, "client_id": "emporium-web",
                        ])
                default:
                    answer = try await idp.token(
                        ["grant_type": "authorization_code", "code": code, "redirect_uri": "http://127.0.0.1:9/", "code_verifier": Self.verifier],
                        basic: Self.storefront)
                }
                #expect(answer.oauthError == "invalid_grant", "attempt \(attempt)")
            }
        }
    }

    @Test func anUnregisteredRedirectIsShownHereAndOtherErrorsGoBackToTheClient() async throws {
        try await IdentityProviderFixture.run { idp in
            let elsewhere = try await idp.send(.GET, Self.authorizePath(redirect: "https://evil.example/cb"))
            #expect(elsewhere.status == 400)
            #expect(elsewhere.headers.first(name: "location") == nil)
            let noPKCE = try await idp.send(.GET, Self.authorizePath(challenge: nil))
            #expect(noPKCE.status == 302)
            let location = try #require(noPKCE.headers.first(name: "location"))
            #expect(location.hasPrefix(IdentityProviderFixture.storefrontCallback + "?") && location.contains("error=invalid_request"))
            #expect(location.contains("state=the%20state"))
        }
    }

    @Test func aFormWithoutItsCookieSignsNobodyInAndRepeatedFailuresLockTheAccount() async throws {
        try await IdentityProviderFixture.run { idp in
            try await idp.createAccount("lock@example.com", "a long passphrase")
            let (cookie, hidden) = try await Self.form(idp)
            let credentials = hidden.merging(["email": "lock@example.com", "password": "a long passphrase"]) { $1 }
            #expect(try await Self.post(idp, cookie: nil, fields: credentials).status == 403)
            #expect(try await Self.post(idp, cookie: "emporium-idp-csrf=another", fields: credentials).status == 403)
            for _ in 0..<3 {
                _ = try await Self.post(idp, cookie: cookie, fields: credentials.merging(["password": "wrong"]) { $1 })
            }
            let locked = try await Self.post(idp, cookie: cookie, fields: credentials)
            #expect(locked.status == 403)
            #expect(String(decoding: locked.body, as: UTF8.self).contains("locked"))
        }
    }

    @Test func discoveryNamesTheCodeFlowAndSignOutRedirectsOnlyWhereRegistered() async throws {
        try await IdentityProviderFixture.run { idp in
            let metadata = try await idp.send(.GET, "/.well-known/openid-configuration")
            let document = try JSONSerialization.jsonObject(with: metadata.body) as? [String: Any]
            #expect(document?["authorization_endpoint"] as? String == idp.url + "/authorize")
            #expect(document?["end_session_endpoint"] as? String == idp.url + "/logout")
            #expect(document?["code_challenge_methods_supported"] as? [String] == ["S256"])
            let back = try await idp.send(.GET, "/logout?client_id=storefront&post_logout_redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2F&state=s")
            #expect(back.status == 302 && back.headers.first(name: "location") == "http://127.0.0.1:9/?state=s")
            let elsewhere = try await idp.send(.GET, "/logout?client_id=storefront&post_logout_redirect_uri=https%3A%2F%2Fevil.example%2F")
            #expect(elsewhere.status == 200 && elsewhere.headers.first(name: "location") == nil)
        }
    }
}

/// The storefront's registration read from configuration, as `emporium serve idp` reads it.
@Suite struct StorefrontClientSettingsTests {
    static func settings(_ values: [String: String]) throws -> IdentityProviderSettings {
        var layer = ConfigurationLayer()
        for (key, value) in ["issuer-url": "http://127.0.0.1:8090", "database.url": "sqlite::memory:"].merging(values, uniquingKeysWith: { $1 }) {
            layer.set(key, value)
        }
        return try IdentityProviderSettings(config: ConfigReader(provider: layer.provider(name: "test")))
    }

    @Test func redirectURIsAreKeptExactlyAsRegistered() throws {
        let settings = try Self.settings([
            "client.storefront.secret": "s", "client.storefront.redirect-uris": "https://shop.example/session/callback, https://shop.example/",
            "public-url": "https://shop.example/auth",
        ])
        let storefront = try #require(settings.clients.first { $0.id == "storefront" })
        #expect(storefront.accepts(redirectURI: "https://shop.example/"))
        #expect(storefront.accepts(redirectURI: "https://shop.example/session/callback"))
        #expect(!storefront.accepts(redirectURI: "https://shop.example"))
        #expect(!storefront.accepts(redirectURI: "https://shop.example/session/callback/../evil"))
        #expect(try settings.publicURL.url() == "https://shop.example/auth")
    }

    @Test func aStorefrontSecretWithoutRedirectURIsIsAConfigurationError() throws {
        #expect(throws: InvalidConfiguration.self) { try Self.settings(["client.storefront.secret": "s"]) }
        #expect(try Self.settings([:]).clients.contains { $0.id == "storefront" } == false, "no secret, no client")
    }

    @Test func thePublicClientTakesAnyLoopbackPortButNothingElse() {
        let client = RegisteredClient.publicClient
        #expect(client.accepts(redirectURI: "http://127.0.0.1:53682/callback"))
        #expect(!client.accepts(redirectURI: "http://127.0.0.1:53682/other"))
        #expect(!client.accepts(redirectURI: "http://localhost.evil.example:53682/callback"))
        #expect(!client.accepts(redirectURI: "https://127.0.0.1:53682/callback"))
    }
}
