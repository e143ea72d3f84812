import AsyncHTTPClient
import Contracts
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// A service's own access token, from the identity provider's client-credentials grant, cached
/// until shortly before it expires so that calls between services do not each cost a token request.
public actor ServiceTokenProvider {
    private let issuer: IssuerLocation
    private let credentials: ClientCredentials
    private let scopes: [String]
    private let fetcher: IdentityProviderFetcher
    private let renewBefore: Duration
    private var cached: (token: String, renewAt: ContinuousClock.Instant)?
    private var inFlight: Task<(String, Duration), any Error>?

    /// Creates a provider.
    /// - Parameters:
    ///   - issuer: The identity provider.
    ///   - credentials: This service's client id and secret.
    ///   - scopes: The narrow scopes this service's calls need.
    ///   - client: The component's outbound client.
    ///   - renewBefore: How long before expiry a new token is fetched.
    public init(
        issuer: IssuerLocation, credentials: ClientCredentials, scopes: [String], client: OutboundHTTPClient, renewBefore: Duration = .seconds(30)
    ) {
        self.issuer = issuer
        self.credentials = credentials
        self.scopes = scopes
        self.fetcher = IdentityProviderFetcher(client: client)
        self.renewBefore = renewBefore
    }

    /// A valid access token for this service.
    /// - Throws: ``AuthenticationFailure/keysUnavailable(reason:)`` if the provider cannot issue one.
    public func token() async throws(AuthenticationFailure) -> String {
        if let cached, ContinuousClock.now < cached.renewAt { return cached.token }
        let task: Task<(String, Duration), any Error>
        if let inFlight {
            task = inFlight
        } else {
            let (issuerURL, fetcher, credentials, scopes) = (try issuer.url(), fetcher, credentials, scopes)
            task = Task { try await Self.requestToken(issuer: issuerURL, fetcher: fetcher, credentials: credentials, scopes: scopes) }
            inFlight = task
        }
        do {
            let fetchedAt = ContinuousClock.now
            let (token, lifetime) = try await task.value
            inFlight = nil
            cached = (token, fetchedAt + max(lifetime - renewBefore, .zero))
            return token
        } catch {
            inFlight = nil
            throw error as? AuthenticationFailure ?? .keysUnavailable(reason: "\(error)")
        }
    }

    /// Forgets the cached token (after a 401 from the component it was sent to).
    public func invalidate() {
        cached = nil
    }

    private static func requestToken(
        issuer: String,
        fetcher: IdentityProviderFetcher,
        credentials: ClientCredentials,
        scopes: [String]
    ) async throws -> (String, Duration) {
        let metadata = try await fetcher.metadata(of: issuer)
        var request = HTTPClientRequest(url: metadata.tokenEndpoint)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.headers.add(name: "Authorization", value: credentials.basicAuthorization)
        request.body = .bytes(ByteBuffer(string: FormEncoding.encode(["grant_type": "client_credentials", "scope": scopes.joined(separator: " ")])))
        let response = try await fetcher.client.execute(request, timeout: .seconds(5), dependency: Component.idp.rawValue)
        let body = try await response.body.collect(upTo: 64 * 1024)
        guard response.status == .ok else {
            throw AuthenticationFailure.keysUnavailable(
                reason: "the token endpoint refused \(credentials.clientID) (\(response.status.code)): \(String(buffer: body))"
            )
        }
        let answer = try JSONDecoder().decode(TokenResponse.self, from: Data(body.readableBytesView))
        return (answer.accessToken, .seconds(answer.expiresIn))
    }
}

/// An OAuth client's id and secret.
public struct ClientCredentials: Sendable, Equatable {
    /// The client id (`user-service`).
    public var clientID: String
    /// The client secret.
    public var secret: String

    /// Creates credentials.
    public init(clientID: String, secret: String) {
        self.clientID = clientID
        self.secret = secret
    }

    /// A new random secret (256 bits), for clients the embedded mode creates at each start.
    public static func randomSecret() -> String {
        SecureRandom.token()
    }

    /// The HTTP Basic authorization of RFC 6749 §2.3.1 (each part form-encoded first).
    public var basicAuthorization: String {
        let pair = FormEncoding.escape(clientID) + ":" + FormEncoding.escape(secret)
        return "Basic " + Data(pair.utf8).base64EncodedString()
    }
}

/// A successful token response (RFC 6749 §5.1).
public struct TokenResponse: Codable, Sendable {
    /// The access token.
    public var accessToken: String
    /// Always `Bearer`.
    public var tokenType: String
    /// Seconds until the access token expires.
    public var expiresIn: Int
    /// The refresh token, for grants that issue one.
    public var refreshToken: String?
    /// The granted scopes, space-separated.
    public var scope: String
    /// The ID token, for a person's sign-in through the authorization code flow.
    public var idToken: String?

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case refreshToken = "refresh_token"
        case scope
        case idToken = "id_token"
    }

    /// Creates a response.
    public init(accessToken: String, expiresIn: Int, refreshToken: String?, scope: String) {
        self.accessToken = accessToken
        self.tokenType = "Bearer"
        self.expiresIn = expiresIn
        self.refreshToken = refreshToken
        self.scope = scope
    }
}
