import JWTKit
public import Logging

/// The identity provider's signing keys, fetched through discovery and cached.
///
/// A token naming a key the cache does not hold triggers one refetch, at most once per
/// `refreshInterval`, so that a provider's new key is picked up at once while a flood of tokens
/// with made-up key ids cannot make every request call the provider. Concurrent lookups share one
/// fetch.
public actor IssuerKeyCache {
    /// The algorithms accepted, by JWK key type: never `none`, never an HMAC (a public key is
    /// public, so an HMAC "signed" with it proves nothing).
    public static let allowedAlgorithms: Set<String> = ["ES256", "RS256"]

    private let issuer: IssuerLocation
    private let fetcher: IdentityProviderFetcher
    private let refreshInterval: Duration
    private let logger: Logger
    private let now: @Sendable () -> ContinuousClock.Instant
    private var current: SigningKeySet?
    private var lastAttempt: ContinuousClock.Instant?
    private var inFlight: Task<SigningKeySet, any Error>?

    /// Creates a cache that fetches nothing until the first token arrives.
    /// - Parameters:
    ///   - issuer: The provider's issuer URL.
    ///   - client: The component's outbound client.
    ///   - refreshInterval: The least time between two fetches caused by unknown keys.
    ///   - logger: Where fetches are logged.
    ///   - now: The clock the refresh interval is measured on (tests move their own).
    public init(
        issuer: IssuerLocation,
        client: OutboundHTTPClient,
        refreshInterval: Duration = .seconds(30),
        logger: Logger,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.issuer = issuer
        self.fetcher = IdentityProviderFetcher(client: client)
        self.refreshInterval = refreshInterval
        self.logger = logger
        self.now = now
    }

    /// The key set holding `kid`, refetching once if it is unknown and the last fetch is old enough.
    func keys(holding kid: String) async throws(AuthenticationFailure) -> SigningKeySet {
        if let current, current.algorithms[kid] != nil { return current }
        if current != nil, let lastAttempt, now() - lastAttempt < refreshInterval {
            throw .invalidToken(reason: "it is signed by an unknown key")
        }
        let fetched = try await refresh()
        guard fetched.algorithms[kid] != nil else { throw .invalidToken(reason: "it is signed by an unknown key") }
        return fetched
    }

    private func refresh() async throws(AuthenticationFailure) -> SigningKeySet {
        let task: Task<SigningKeySet, any Error>
        if let inFlight {
            task = inFlight
        } else {
            let fetcher = self.fetcher
            let issuerURL = try issuer.url()
            task = Task { try await SigningKeySet.fetch(issuer: issuerURL, fetcher: fetcher) }
            inFlight = task
            lastAttempt = now()
        }
        do {
            let keys = try await task.value
            inFlight = nil
            current = keys
            return keys
        } catch {
            inFlight = nil
            let failure = error as? AuthenticationFailure ?? .keysUnavailable(reason: "\(error)")
            logger.warning("Fetching the identity provider's keys failed", metadata: ["error": "\(failure)"])
            // Keys fetched before stay usable while the provider is unreachable.
            if let current { return current }
            throw failure
        }
    }
}

/// One fetched JWKS: a key collection to verify with, and each key's algorithm.
struct SigningKeySet: Sendable {
    let collection: JWTKeyCollection
    let algorithms: [String: String]

    static func fetch(issuer: String, fetcher: IdentityProviderFetcher) async throws(AuthenticationFailure) -> SigningKeySet {
        let metadata = try await fetcher.metadata(of: issuer)
        let document = try await fetcher.document(JSONWebKeySet.self, at: metadata.jwksURI)
        return await SigningKeySet(document: document)
    }

    init(document: JSONWebKeySet) async {
        let collection = JWTKeyCollection()
        var algorithms: [String: String] = [:]
        for key in document.keys {
            guard let (algorithm, jwk) = key.verificationKey(), IssuerKeyCache.allowedAlgorithms.contains(algorithm) else { continue }
            // A key that does not parse is skipped, not fatal: the others may still verify tokens.
            if (try? await collection.add(jwk: jwk)) != nil {
                algorithms[key.kid ?? ""] = algorithm
            }
        }
        self.collection = collection
        self.algorithms = algorithms
    }
}

/// A JWKS document (RFC 7517 §5), decoded leniently: keys of types Emporium does not use are skipped.
struct JSONWebKeySet: Decodable {
    struct Key: Decodable {
        var kty: String
        var kid: String?
        var use: String?
        var alg: String?
        var crv: String?
        var x: String?
        var y: String?
        var n: String?
        var e: String?

        /// The algorithm this key verifies and jwt-kit's form of it, pinned so that a token's
        /// header cannot choose another algorithm for it.
        func verificationKey() -> (String, JWK)? {
            guard let kid, use == nil || use == "sig" else { return nil }
            switch kty {
            case "EC" where crv == "P-256" && (alg == nil || alg == "ES256"):
                return ("ES256", JWK.ecdsa(.es256, identifier: JWKIdentifier(string: kid), x: x, y: y, curve: .p256))
            case "RSA" where alg == nil || alg == "RS256":
                return ("RS256", JWK.rsa(.rs256, identifier: JWKIdentifier(string: kid), modulus: n, exponent: e))
            default:
                return nil
            }
        }
    }

    var keys: [Key]
}
