import AsyncHTTPClient
import EmporiumCore
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// The storefront as a client of the identity provider (OpenID Connect's code flow): where to
/// send browsers, and the back channel that redeems a code and checks the ID token it brings.
final class IdentityProviderClient: Sendable {
    /// The endpoints discovery names.
    struct Endpoints: Decodable, Sendable {
        var authorization_endpoint: String
        var token_endpoint: String
        var end_session_endpoint: String
    }

    /// The provider refused a code or answered something unreadable.
    struct Refused: Error, CustomStringConvertible {
        var description: String
    }

    let issuer: IssuerLocation
    let credentials: ClientCredentials
    let http: OutboundHTTPClient
    let verifier: AccessTokenVerifier
    private let cached = Mutex<(Endpoints, ContinuousClock.Instant)?>(nil)

    init(auth: AuthSettings, credentials: ClientCredentials, http: OutboundHTTPClient, verifier: AccessTokenVerifier) {
        self.issuer = auth.issuer
        self.credentials = credentials
        self.http = http
        self.verifier = verifier
    }

    /// The provider's endpoints, read from its discovery document and kept for five minutes.
    func endpoints() async throws -> Endpoints {
        if let (endpoints, readAt) = cached.withLock({ $0 }), ContinuousClock.now - readAt < .seconds(300) { return endpoints }
        let response = try await http.execute(HTTPClientRequest(url: try issuer.url() + "/.well-known/openid-configuration"), timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 64 * 1024)
        guard response.status == .ok, let endpoints = try? JSONDecoder().decode(Endpoints.self, from: Data(body.readableBytesView)) else {
            throw Refused(description: "the provider's discovery document answered \(response.status.code)")
        }
        cached.withLock { $0 = (endpoints, .now) }
        return endpoints
    }

    /// Redeems `code` (with the PKCE verifier of its sign-in) and checks the ID token against `nonce`.
    func redeem(code: String, verifier codeVerifier: String, redirectURI: String, nonce: String) async throws -> (TokenResponse, IDTokenClaims) {
        var request = HTTPClientRequest(url: try await endpoints().token_endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Authorization", value: credentials.basicAuthorization)
        let form = ["grant_type": "authorization_code", "code": code, "redirect_uri": redirectURI, "code_verifier": codeVerifier]
        request.body = .bytes(ByteBuffer(string: FormEncoding.encode(form)))
        let response = try await http.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 64 * 1024)
        guard response.status == .ok, let tokens = try? JSONDecoder().decode(TokenResponse.self, from: Data(body.readableBytesView)),
            let idToken = tokens.idToken
        else {
            throw Refused(description: "the token endpoint answered \(response.status.code): \(String(buffer: body))")
        }
        let claims = try await verifier.verifyIDToken(idToken, clientID: credentials.clientID, nonce: nonce)
        return (tokens, claims)
    }

    /// Trades `refreshToken` for new tokens (the provider rotates the refresh token too).
    func refresh(_ refreshToken: String) async throws -> TokenResponse {
        var request = HTTPClientRequest(url: try await endpoints().token_endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Authorization", value: credentials.basicAuthorization)
        request.body = .bytes(ByteBuffer(string: FormEncoding.encode(["grant_type": "refresh_token", "refresh_token": refreshToken])))
        let response = try await http.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 64 * 1024)
        guard response.status == .ok, let tokens = try? JSONDecoder().decode(TokenResponse.self, from: Data(body.readableBytesView)) else {
            if response.status.code >= 500 { throw UnexpectedAnswer(status: Int(response.status.code)) }
            throw Refused(description: "the token endpoint refused a refresh token with \(response.status.code): \(String(buffer: body))")
        }
        return tokens
    }

    /// The provider failed to answer a refresh (a 5xx): the customer is not to be signed out for it.
    struct UnexpectedAnswer: Error {
        var status: Int
    }
}
