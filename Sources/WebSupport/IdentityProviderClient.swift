import AsyncHTTPClient
import Contracts
import Crypto
public import EmporiumCore
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// A web component (the storefront, the console) as a confidential client of the identity
/// provider (OpenID Connect's code flow): where to send browsers, and the back channel that
/// redeems a code and checks the ID token it brings.
public final class IdentityProviderClient: Sendable {
    /// The endpoints discovery names.
    public struct Endpoints: Decodable, Sendable {
        public var authorization_endpoint: String
        public var token_endpoint: String
        public var end_session_endpoint: String
    }

    /// The provider refused a code or answered something unreadable.
    public struct Refused: Error, CustomStringConvertible {
        public var description: String
    }

    /// The provider.
    public let issuer: IssuerLocation
    /// This client's id and secret there.
    public let credentials: ClientCredentials
    let http: OutboundHTTPClient
    let verifier: AccessTokenVerifier
    /// The dependency's name in the call metrics and spans.
    static let peer = Component.idp.rawValue
    private let cached = Mutex<(Endpoints, ContinuousClock.Instant)?>(nil)

    /// A client of `auth`'s provider with `credentials`, calling it through `http` and checking
    /// its ID tokens with `verifier`.
    public init(auth: AuthSettings, credentials: ClientCredentials, http: OutboundHTTPClient, verifier: AccessTokenVerifier) {
        self.issuer = auth.issuer
        self.credentials = credentials
        self.http = http
        self.verifier = verifier
    }

    /// The provider's endpoints, read from its discovery document and kept for five minutes.
    public func endpoints() async throws -> Endpoints {
        if let (endpoints, readAt) = cached.withLock({ $0 }), ContinuousClock.now - readAt < .seconds(300) { return endpoints }
        let response = try await http.execute(
            HTTPClientRequest(url: try issuer.url() + "/.well-known/openid-configuration"), timeout: .seconds(5), dependency: Self.peer)
        let body = try await response.body.collect(upTo: 64 * 1024)
        guard response.status == .ok, let endpoints = try? JSONDecoder().decode(Endpoints.self, from: Data(body.readableBytesView)) else {
            throw Refused(description: "the provider's discovery document answered \(response.status.code)")
        }
        cached.withLock { $0 = (endpoints, .now) }
        return endpoints
    }

    /// Where to send a browser to sign in: the authorization endpoint with the code flow's
    /// parameters, `scope=openid profile`, and the PKCE challenge (S256) of `verifier`.
    /// - Parameter loginHint: The address the provider's form starts with, if any.
    public func authorizationURL(redirectURI: String, state: String, nonce: String, verifier: String, loginHint: String? = nil) async throws
        -> String
    {
        let challenge = Base64URL.encode(Data(SHA256.hash(data: Data(verifier.utf8))))
        var target = URLComponents(string: try await endpoints().authorization_endpoint) ?? URLComponents()
        target.queryItems = [
            URLQueryItem(name: "response_type", value: "code"), URLQueryItem(name: "client_id", value: credentials.clientID),
            URLQueryItem(name: "redirect_uri", value: redirectURI), URLQueryItem(name: "scope", value: "openid profile"),
            URLQueryItem(name: "state", value: state), URLQueryItem(name: "nonce", value: nonce),
            URLQueryItem(name: "code_challenge", value: challenge), URLQueryItem(name: "code_challenge_method", value: "S256"),
        ]
        if let loginHint { target.queryItems?.append(URLQueryItem(name: "login_hint", value: loginHint)) }
        return target.string ?? "/"
    }

    /// Where to send a browser to sign out at the provider too, coming back to `returnTo`.
    /// - Parameter idTokenHint: The ID token of the sign-in that ends, if it was kept.
    public func endSessionURL(returnTo: String, idTokenHint: String? = nil) async throws -> String {
        var target = URLComponents(string: try await endpoints().end_session_endpoint) ?? URLComponents()
        target.queryItems =
            (idTokenHint.map { [URLQueryItem(name: "id_token_hint", value: $0)] } ?? []) + [
                URLQueryItem(name: "client_id", value: credentials.clientID), URLQueryItem(name: "post_logout_redirect_uri", value: returnTo),
            ]
        return target.string ?? "/"
    }

    /// Redeems `code` (with the PKCE verifier of its sign-in) and checks the ID token against `nonce`.
    public func redeem(code: String, verifier codeVerifier: String, redirectURI: String, nonce: String) async throws -> (TokenResponse, IDTokenClaims)
    {
        var request = HTTPClientRequest(url: try await endpoints().token_endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Authorization", value: credentials.basicAuthorization)
        let form = ["grant_type": "authorization_code", "code": code, "redirect_uri": redirectURI, "code_verifier": codeVerifier]
        request.body = .bytes(ByteBuffer(string: FormEncoding.encode(form)))
        let response = try await http.execute(request, timeout: .seconds(10), dependency: Self.peer)
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
    public func refresh(_ refreshToken: String) async throws -> TokenResponse {
        var request = HTTPClientRequest(url: try await endpoints().token_endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Authorization", value: credentials.basicAuthorization)
        request.body = .bytes(ByteBuffer(string: FormEncoding.encode(["grant_type": "refresh_token", "refresh_token": refreshToken])))
        let response = try await http.execute(request, timeout: .seconds(10), dependency: Self.peer)
        let body = try await response.body.collect(upTo: 64 * 1024)
        guard response.status == .ok, let tokens = try? JSONDecoder().decode(TokenResponse.self, from: Data(body.readableBytesView)) else {
            if response.status.code >= 500 { throw UnexpectedAnswer(status: Int(response.status.code)) }
            throw Refused(description: "the token endpoint refused a refresh token with \(response.status.code): \(String(buffer: body))")
        }
        return tokens
    }

    /// The provider failed to answer a refresh (a 5xx): the customer is not to be signed out for it.
    public struct UnexpectedAnswer: Error {
        /// The status it answered.
        public var status: Int
    }
}
