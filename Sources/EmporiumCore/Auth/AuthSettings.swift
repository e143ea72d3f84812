public import Configuration
public import Logging

/// How a component checks access tokens.
///
/// Configuration keys, under the component's scope (`order.auth.issuer-url` ↔ `ORDER_AUTH_ISSUER_URL`):
/// - `auth.issuer-url` (string, required in `serve` mode): the identity provider's issuer URL.
/// - `auth.audience` (string, default `emporium`): the audience tokens must name.
/// - `auth.leeway-seconds` (int, default 30): tolerated clock skew on `exp` and `nbf`.
/// - `auth.key-refresh-seconds` (int, default 30): the least time between key refetches caused by an unknown `kid`.
public struct AuthSettings: Sendable {
    /// The provider's issuer URL.
    public var issuer: IssuerLocation
    /// The audience tokens must name.
    public var audience: String
    /// Tolerated clock skew.
    public var leeway: Duration
    /// The least time between two refetches of the provider's keys.
    public var keyRefreshInterval: Duration

    /// The audience of every Emporium API.
    public static let defaultAudience = "emporium"

    /// Creates settings from values.
    public init(
        issuer: IssuerLocation, audience: String = Self.defaultAudience, leeway: Duration = .seconds(30), keyRefreshInterval: Duration = .seconds(30)
    ) {
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self.keyRefreshInterval = keyRefreshInterval
    }

    /// No identity provider: tokens are refused with a 503 (for tests of unrelated behaviour).
    public static let unset = AuthSettings(issuer: .unset)

    /// Reads the settings from a component-scoped configuration.
    public init(config: ConfigReader, scope: String) throws {
        guard let issuer = config.string(forKey: "auth.issuer-url") else {
            throw InvalidConfiguration(key: "\(scope).auth.issuer-url", reason: "the identity provider's issuer URL is required")
        }
        guard issuer.hasPrefix("http://") || issuer.hasPrefix("https://") else {
            throw InvalidConfiguration(key: "\(scope).auth.issuer-url", reason: "expected an http:// or https:// URL, got \"\(issuer)\"")
        }
        self.init(
            issuer: .fixed(issuer),
            audience: config.string(forKey: "auth.audience", default: Self.defaultAudience),
            leeway: .seconds(try config.requiredPositiveOrZeroInt("auth.leeway-seconds", scope: scope, default: 30)),
            keyRefreshInterval: .seconds(try config.requiredPositiveOrZeroInt("auth.key-refresh-seconds", scope: scope, default: 30))
        )
    }

    /// A verifier for these settings, fetching keys through `client`.
    /// - Parameter now: The clock of the key cache's refresh interval (tests move their own).
    public func makeVerifier(
        client: OutboundHTTPClient,
        logger: Logger,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) -> AccessTokenVerifier {
        let keys = IssuerKeyCache(issuer: issuer, client: client, refreshInterval: keyRefreshInterval, logger: logger, now: now)
        return AccessTokenVerifier(issuer: issuer, audience: audience, keys: keys, leeway: leeway)
    }
}
