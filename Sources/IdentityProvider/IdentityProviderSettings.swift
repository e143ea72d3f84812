public import Configuration
import Contracts
public import EmporiumCore
import Foundation

/// The identity-provider simulator's settings.
///
/// Configuration keys, under the `idp` scope (`idp.issuer-url` ↔ `IDP_ISSUER_URL`):
/// - `http.*`: see ``HTTPServerSettings`` (default port 8090).
/// - `database.url` (string, required): accounts, refresh tokens and signing keys.
/// - `issuer-url` (string, required): the URL it is reached at, which tokens carry in `iss`.
/// - `access-token-seconds` (int, default 600), `refresh-token-days` (int, default 30).
/// - `key-rotation-hours` (int, default 24; 0 rotates only through the admin API).
/// - `bcrypt-cost` (int, default 12).
/// - `login.max-failures` (int, default 5), `login.lock-seconds` (int, default 900),
///   `login.delay-ms` (int, default 250): failed logins slow down, then lock the account.
/// - `client.<id>.secret` (string): enables the service client `<id>` (see ``RegisteredClient/serviceClients``);
///   without a secret a client does not exist, so `serve` mode has no default credentials.
/// - `client.storefront.secret` (string) and `client.storefront.redirect-uris` (comma-separated,
///   required with the secret): enables the storefront, a confidential client of the
///   authorization code flow, redirected only to those URIs; `client.console.secret` and
///   `client.console.redirect-uris` the console, alike.
/// - `public-url` (string, default the issuer URL): where browsers reach the provider's pages
///   (its sign-in and sign-out), e.g. through the gateway at `…/auth`.
/// - `demo.password` (string, optional): seeds the demo accounts (``DemoAccount``) with this password.
public struct IdentityProviderSettings: Sendable {
    /// Where it listens.
    public var server: HTTPServerSettings
    /// Its own database.
    public var database: DatabaseLocation
    /// The issuer URL; in the embedded mode known once it listens.
    public var issuer: IssuerLocation
    /// Where browsers reach the sign-in and sign-out pages; discovery names them under it.
    public var publicURL: IssuerLocation
    /// How long an access token lives.
    public var accessTokenLifetime: Duration
    /// How long a refresh token lives.
    public var refreshTokenLifetime: Duration
    /// How often the signing key rotates; nil rotates only on request.
    public var keyRotationInterval: Duration?
    /// The bcrypt cost of new password hashes.
    public var bcryptCost: UInt8
    /// How failed logins are slowed down and locked out.
    public var loginThrottle: LoginThrottle
    /// The OAuth clients it knows.
    public var clients: [RegisteredClient]
    /// The password of the demo accounts to seed, or nil for none.
    public var demoPassword: String?

    /// Creates settings from values.
    public init(
        server: HTTPServerSettings,
        database: DatabaseLocation,
        issuer: IssuerLocation,
        publicURL: IssuerLocation? = nil,
        accessTokenLifetime: Duration = .seconds(600),
        refreshTokenLifetime: Duration = .seconds(30 * 86_400),
        keyRotationInterval: Duration? = .seconds(86_400),
        bcryptCost: UInt8 = 12,
        loginThrottle: LoginThrottle = LoginThrottle(),
        clients: [RegisteredClient],
        demoPassword: String? = nil
    ) {
        self.server = server
        self.database = database
        self.issuer = issuer
        self.publicURL = publicURL ?? issuer
        self.accessTokenLifetime = accessTokenLifetime
        self.refreshTokenLifetime = refreshTokenLifetime
        self.keyRotationInterval = keyRotationInterval
        self.bcryptCost = bcryptCost
        self.loginThrottle = loginThrottle
        self.clients = clients
        self.demoPassword = demoPassword
    }

    /// Reads the settings from configuration scoped to `idp`.
    public init(config: ConfigReader) throws {
        let scope = Component.idp.configScope
        guard let issuer = config.string(forKey: "issuer-url") else {
            throw InvalidConfiguration(key: "idp.issuer-url", reason: "the URL tokens name as their issuer is required")
        }
        let cost = try config.requiredPositiveOrZeroInt("bcrypt-cost", scope: scope, default: 12)
        guard (4...31).contains(cost) else { throw InvalidConfiguration(key: "idp.bcrypt-cost", reason: "expected 4 to 31, got \(cost)") }
        let rotationHours = try config.requiredPositiveOrZeroInt("key-rotation-hours", scope: scope, default: 24)
        var webApplications: [RegisteredClient] = []
        for id in RegisteredClient.webApplicationIDs {
            guard let secret = config.string(forKey: ConfigKey("client.\(id).secret"), isSecret: true) else { continue }
            // Exact strings, as registered redirect URIs are compared: a trailing slash stays.
            let uris = (config.string(forKey: ConfigKey("client.\(id).redirect-uris")) ?? "").split(separator: ",").map(\.trimmingWhitespace)
            guard !uris.isEmpty, uris.allSatisfy({ $0.hasPrefix("http://") || $0.hasPrefix("https://") }) else {
                throw InvalidConfiguration(
                    key: "idp.client.\(id).redirect-uris", reason: "the \(id)'s client needs http(s) redirect URIs separated by commas")
            }
            webApplications.append(.webApplication(id, secret: secret, redirectURIs: { uris }))
        }
        let publicURL = try config.requiredBaseURLs("public-url", scope: scope, default: issuer)[0]
        let services = RegisteredClient.serviceClients.compactMap { client -> RegisteredClient? in
            guard let secret = config.string(forKey: ConfigKey("client.\(client.id).secret")) else { return nil }
            var configured = client
            configured.secret = secret
            return configured
        }
        self.init(
            server: try HTTPServerSettings(config: config, scope: scope, defaultPort: Component.idp.defaultPort),
            database: try config.requiredDatabase(scope: scope),
            issuer: .fixed(issuer),
            publicURL: .fixed(publicURL),
            accessTokenLifetime: .seconds(max(1, try config.requiredPositiveOrZeroInt("access-token-seconds", scope: scope, default: 600))),
            refreshTokenLifetime: .seconds(86_400 * max(1, try config.requiredPositiveOrZeroInt("refresh-token-days", scope: scope, default: 30))),
            keyRotationInterval: rotationHours == 0 ? nil : .seconds(3600 * rotationHours),
            bcryptCost: UInt8(cost),
            loginThrottle: LoginThrottle(
                maxFailures: max(1, try config.requiredPositiveOrZeroInt("login.max-failures", scope: scope, default: 5)),
                lockDuration: .seconds(try config.requiredPositiveOrZeroInt("login.lock-seconds", scope: scope, default: 900)),
                baseDelay: .milliseconds(try config.requiredPositiveOrZeroInt("login.delay-ms", scope: scope, default: 250))
            ),
            clients: [.publicClient] + webApplications + services,
            demoPassword: config.string(forKey: "demo.password", isSecret: true)
        )
    }
}

/// How repeated failed logins are answered: each failure after the first waits longer
/// (`baseDelay`, doubling, at most 16×), and `maxFailures` in a row lock the account for `lockDuration`.
public struct LoginThrottle: Sendable {
    /// Failures in a row that lock the account.
    public var maxFailures: Int
    /// How long a locked account stays locked.
    public var lockDuration: Duration
    /// The delay after the second failure in a row.
    public var baseDelay: Duration

    /// Creates a throttle.
    public init(maxFailures: Int = 5, lockDuration: Duration = .seconds(900), baseDelay: Duration = .milliseconds(250)) {
        self.maxFailures = maxFailures
        self.lockDuration = lockDuration
        self.baseDelay = baseDelay
    }

    /// The delay before answering the `failures`-th failure in a row.
    func delay(afterFailures failures: Int) -> Duration {
        guard failures >= 2 else { return .zero }
        return baseDelay * (1 << min(failures - 2, 4))
    }
}

/// An OAuth client of the provider.
public struct RegisteredClient: Sendable {
    /// The grants a client may use.
    public enum Grant: String, Sendable {
        /// A browser's sign-in at the provider's own page, with PKCE (OpenID Connect's code flow).
        case authorizationCode = "authorization_code"
        /// Resource-owner password (curl, scripts and tests).
        case password
        /// Refresh-token rotation.
        case refreshToken = "refresh_token"
        /// A service acting as itself.
        case clientCredentials = "client_credentials"
    }

    /// The client id.
    public var id: String
    /// The secret of a confidential client; nil for a public one.
    public var secret: String?
    /// The grants it may use.
    public var grants: Set<Grant>
    /// The scopes it may ask for, and those it gets when it asks for none.
    public var scopes: [String]
    /// Where the provider may send a browser back to after signing in or out (exact matches).
    public var redirectURIs: @Sendable () -> [String]
    /// Whether any port of a loopback redirect URI matches (RFC 8252 §7.3: a native app on the
    /// person's own machine listens where it can).
    public var allowsAnyLoopbackPort: Bool

    /// Creates a client.
    public init(
        id: String, secret: String?, grants: Set<Grant>, scopes: [String], redirectURIs: @escaping @Sendable () -> [String] = { [] },
        allowsAnyLoopbackPort: Bool = false
    ) {
        self.id = id
        self.secret = secret
        self.grants = grants
        self.scopes = scopes
        self.redirectURIs = redirectURIs
        self.allowsAnyLoopbackPort = allowsAnyLoopbackPort
    }

    /// The public client of curl, scripts, tests and native apps: no secret; the password grant,
    /// and the code flow with PKCE back to `http://127.0.0.1:<any port>/callback`.
    public static let publicClient = RegisteredClient(
        id: "emporium-web", secret: nil, grants: [.password, .refreshToken, .authorizationCode], scopes: ["openid", "profile"],
        redirectURIs: { ["http://127.0.0.1/callback"] }, allowsAnyLoopbackPort: true)

    /// The web applications people sign in to: the storefront and the console.
    public static let webApplicationIDs = ["storefront", "console"]

    /// The storefront: a confidential client of the code flow (with PKCE too), sent back only to
    /// `redirectURIs`.
    public static func storefront(secret: String, redirectURIs: @escaping @Sendable () -> [String]) -> RegisteredClient {
        webApplication("storefront", secret: secret, redirectURIs: redirectURIs)
    }

    /// A web application `id` (one of ``webApplicationIDs``): a confidential client of the code
    /// flow (with PKCE too), sent back only to `redirectURIs`.
    public static func webApplication(_ id: String, secret: String, redirectURIs: @escaping @Sendable () -> [String]) -> RegisteredClient {
        RegisteredClient(
            id: id, secret: secret, grants: [.authorizationCode, .refreshToken], scopes: ["openid", "profile"], redirectURIs: redirectURIs)
    }

    /// Whether `uri` is one this client registered (OAuth 2.0 Security BCP: exact string matching,
    /// but for the port of a loopback URI where the client allows it).
    public func accepts(redirectURI uri: String) -> Bool {
        let registered = redirectURIs()
        if registered.contains(uri) { return true }
        guard allowsAnyLoopbackPort, var parts = URLComponents(string: uri), parts.host == "127.0.0.1", parts.scheme == "http" else {
            return false
        }
        parts.port = nil
        return parts.string.map(registered.contains) ?? false
    }

    /// The service clients the provider knows, without secrets: each exists only once it has one.
    public static let serviceClients: [RegisteredClient] = [
        RegisteredClient(id: "user-service", secret: nil, grants: [.clientCredentials], scopes: [ServiceScope.manageAccounts]),
        RegisteredClient(id: "payment-service", secret: nil, grants: [.clientCredentials], scopes: [ServiceScope.readOrders]),
        RegisteredClient(id: "operator", secret: nil, grants: [.clientCredentials], scopes: [ServiceScope.manageAccounts, ServiceScope.rotateKeys]),
    ]

    /// The service client `id` with `secret`.
    public static func service(_ id: String, secret: String) -> RegisteredClient? {
        guard var client = serviceClients.first(where: { $0.id == id }) else { return nil }
        client.secret = secret
        return client
    }
}
