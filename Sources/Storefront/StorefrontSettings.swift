public import Configuration
import Contracts
public import EmporiumCore

/// The storefront's settings.
///
/// Configuration keys, under the `storefront` scope (`storefront.gateway-url` ↔ `STOREFRONT_GATEWAY_URL`):
/// - `http.*`: see ``HTTPServerSettings`` (default port 8086).
/// - `database.url` (string, required): sessions and carts, shared by every instance.
/// - `gateway-url` (string, default `http://127.0.0.1:8080`): the gateway whose public API it calls,
///   or several separated by commas.
/// - `public-url` (string, default the first gateway URL): the address browsers reach the shop at.
///   Behind `https://` the session cookie is `Secure` and `__Host-` prefixed.
/// - `session-secret` (string, required in `serve`; the embedded mode makes one): signs the
///   forms' CSRF tokens, so every instance must have the same.
/// - `session.idle-days` (int, default 30): how long a session lasts without a visit.
/// - `auth.*`: see ``AuthSettings`` (`storefront.auth.issuer-url` is required): the identity
///   provider people sign in at, and whose ID tokens are checked.
/// - `idp.client-secret` (string, required in `serve`; the embedded mode shares one with its
///   provider): the storefront's secret as the provider's confidential client `storefront`.
public struct StorefrontSettings: Sendable {
    /// Where it listens.
    public var server: HTTPServerSettings
    /// Its own database: sessions and carts.
    public var database: DatabaseLocation
    /// The gateway it calls the public API through.
    public var gateway: DependencyLocation
    /// The address browsers reach the shop at; nil while the embedded gateway has not bound.
    public var publicURL: @Sendable () -> String?
    /// The key that signs CSRF tokens.
    public var sessionSecret: String
    /// How long a session lasts without a visit.
    public var sessionIdleLifetime: Duration
    /// The identity provider people sign in at.
    public var auth: AuthSettings
    /// The storefront's credentials at the provider.
    public var client: ClientCredentials

    /// Creates settings from values.
    public init(
        server: HTTPServerSettings,
        database: DatabaseLocation,
        gateway: DependencyLocation,
        publicURL: @escaping @Sendable () -> String?,
        sessionSecret: String,
        sessionIdleLifetime: Duration = .seconds(30 * 86_400),
        auth: AuthSettings,
        client: ClientCredentials
    ) {
        self.server = server
        self.database = database
        self.gateway = gateway
        self.publicURL = publicURL
        self.sessionSecret = sessionSecret
        self.sessionIdleLifetime = sessionIdleLifetime
        self.auth = auth
        self.client = client
    }

    /// The storefront's client id at the identity provider.
    public static let clientID = "storefront"

    /// Reads the settings from configuration scoped to `storefront`.
    public init(config: ConfigReader) throws {
        let scope = Component.storefront.configScope
        let gateways = try config.requiredBaseURLs("gateway-url", scope: scope, default: "http://127.0.0.1:\(Component.gateway.defaultPort)")
        guard let secret = config.string(forKey: "session-secret", isSecret: true), secret.utf8.count >= 32 else {
            throw InvalidConfiguration(key: "\(scope).session-secret", reason: "a secret of at least 32 characters is required to sign forms")
        }
        let publicURL = try config.requiredBaseURLs("public-url", scope: scope, default: gateways[0])[0]
        let idleDays = try config.requiredPositiveOrZeroInt("session.idle-days", scope: scope, default: 30)
        guard let clientSecret = config.string(forKey: "idp.client-secret", isSecret: true) else {
            throw InvalidConfiguration(key: "\(scope).idp.client-secret", reason: "the storefront's secret at the identity provider is required")
        }
        self.init(
            server: try HTTPServerSettings(config: config, scope: scope, defaultPort: Component.storefront.defaultPort),
            database: try config.requiredDatabase(scope: scope),
            gateway: .fixed("gateway", urls: gateways),
            publicURL: { publicURL },
            sessionSecret: secret,
            sessionIdleLifetime: .seconds(86_400 * max(1, idleDays)),
            auth: try AuthSettings(config: config, scope: scope),
            client: ClientCredentials(clientID: Self.clientID, secret: clientSecret)
        )
    }
}
