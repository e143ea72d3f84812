public import EmporiumCore
public import Foundation
import Hummingbird
public import JWTKit
import Synchronization

/// An OpenID provider for tests: serves discovery and a JWKS of keys the test controls, mints
/// any token a test needs (expired, future, foreign audience…), and counts JWKS fetches.
///
/// It is test code in a library of its own so that several test targets share it; no product
/// links it.
public final class TestIssuer: Sendable {
    /// A signing key the issuer publishes (or keeps unpublished, to forge with).
    public struct Key: Sendable {
        /// The key id.
        public let kid: String
        /// The private key.
        public let privateKey: ES256PrivateKey

        /// A new random key.
        public init(kid: String = UUID().uuidString) {
            self.kid = kid
            self.privateKey = ES256PrivateKey()
        }

        /// The public JWK, as a JWKS holds it.
        public var jwk: [String: String] {
            let parameters = privateKey.parameters!
            return ["kty": "EC", "crv": "P-256", "alg": "ES256", "use": "sig", "kid": kid, "x": parameters.x, "y": parameters.y]
        }
    }

    private let state: Mutex<(published: [Key], jwksFetches: Int, url: String)>

    /// Creates an issuer publishing `keys`; ``run(_:)`` serves it.
    public init(keys: [Key] = [Key()]) {
        state = Mutex((keys, 0, ""))
    }

    /// The issuer URL, once it listens.
    public var url: String { state.withLock { $0.url } }
    /// How many times the JWKS was fetched.
    public var jwksFetches: Int { state.withLock { $0.jwksFetches } }
    /// The keys published now.
    public var publishedKeys: [Key] { state.withLock { $0.published } }

    /// Publishes another key.
    public func publish(_ key: Key) {
        state.withLock { $0.published.append(key) }
    }

    /// Serves the issuer on a free loopback port while `body` runs.
    public func run<Result: Sendable>(_ body: @Sendable () async throws -> Result) async throws -> Result {
        let router = Router()
        router.get("/.well-known/openid-configuration") { _, _ -> Response in
            let url = self.url
            return Self.json(["issuer": url, "jwks_uri": url + "/jwks", "token_endpoint": url + "/token"])
        }
        router.get("/jwks") { _, _ -> Response in
            let keys = self.state.withLock { state in
                state.jwksFetches += 1
                return state.published.map(\.jwk)
            }
            return Self.json(["keys": keys])
        }
        let (started, startedContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                startedContinuation.yield(channel.localAddress?.port ?? 0)
                startedContinuation.finish()
            }
        )
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            var ports = started.makeAsyncIterator()
            guard let port = await ports.next() else { throw CancellationError() }
            state.withLock { $0.url = "http://127.0.0.1:\(port)" }
            defer { group.cancelAll() }
            return try await body()
        }
    }

    /// Claims a valid token for `subject` would carry, to adjust before ``sign(_:with:header:)``.
    public func claims(
        subject: String = "user-1", roles: [String] = ["customer"], scopes: [String] = [], lifetime: Duration = .seconds(300), issuedAt: Date = Date()
    ) -> AccessTokenClaims {
        AccessTokenClaims(
            issuer: url,
            subject: subject,
            audience: [AuthSettings.defaultAudience],
            issuedAt: issuedAt,
            lifetime: lifetime,
            id: UUID().uuidString,
            scopes: scopes,
            roles: roles,
            clientID: "emporium-web"
        )
    }

    /// Signs `claims` with `key` (the first published key by default).
    public func sign(_ claims: AccessTokenClaims, with key: Key? = nil) async throws -> String {
        let key = key ?? publishedKeys[0]
        let collection = JWTKeyCollection()
        await collection.add(ecdsa: key.privateKey, kid: JWKIdentifier(string: key.kid))
        return try await collection.sign(claims, kid: JWKIdentifier(string: key.kid))
    }

    /// A token for `subject` with `roles`, valid for five minutes.
    public func token(subject: String = "user-1", roles: [String] = ["customer"], scopes: [String] = []) async throws -> String {
        try await sign(claims(subject: subject, roles: roles, scopes: scopes))
    }

    /// Settings that make a component trust this issuer.
    public var authSettings: AuthSettings {
        AuthSettings(
            issuer: .deferred { [self] in
                let url = self.url
                return url.isEmpty ? nil : url
            }, keyRefreshInterval: .seconds(60))
    }

    private static func json(_ value: some Encodable) -> Response {
        let body = (try? JSONEncoder().encode(value)) ?? Data()
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: .init(bytes: body)))
    }
}
