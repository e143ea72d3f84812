import Contracts
public import EmporiumCore
public import Hummingbird
public import Logging

/// Builds the identity-provider simulator: an OpenID Connect provider for the subset Emporium
/// uses, a component of its own with its own database.
///
/// - `GET /.well-known/openid-configuration`, `GET /.well-known/jwks.json` (active and next ES256
///   keys, plus retired keys while their tokens live);
/// - `GET`/`POST /authorize`: the code flow with PKCE at its own sign-in page, `GET /userinfo`
///   and `GET /logout` (OpenID Connect Core, RP-Initiated Logout);
/// - `POST /token` with the authorization_code, password, refresh_token and client_credentials grants (RFC 6749);
/// - `/admin/…` for service clients: accounts (`idp.accounts`) and key rotation (`idp.keys`).
///
/// - Parameters:
///   - settings: Where it listens, its database, issuer, lifetimes and clients.
///   - logger: The base logger.
///   - onStarted: Told the bound port once the server listens.
public func buildIdentityProviderSimulator(
    settings: IdentityProviderSettings,
    logger: Logger? = nil,
    onStarted: ServerStartedHandler? = nil
) async throws -> ComponentApplication {
    let server = try ComponentServer(component: Component.idp.rawValue, settings: settings.server, logger: logger)
    let database = try await ServiceDatabase.open(settings.database, migrations: IdentityMigrations.all, tracer: server.tracer, logger: server.logger)
    let keyring = SigningKeyring(database: database, accessTokenLifetime: settings.accessTokenLifetime)
    let accounts = AccountStore(database: database, hasher: PasswordHasher(cost: settings.bcryptCost), throttle: settings.loginThrottle)
    try await database.prepare {
        try await keyring.load()
        if let password = settings.demoPassword { try await DemoAccountSeeder(accounts: accounts).seed(password: password) }
    }
    let refreshTokens = RefreshTokenStore(database: database, lifetime: settings.refreshTokenLifetime)
    let client = OutboundHTTPClient(for: server, timeout: .seconds(5))

    let codes = AuthorizationCodeStore(database: database)
    let verifier = AuthSettings(issuer: settings.issuer).makeVerifier(client: client, logger: server.logger)

    let router = server.makeRouter(readiness: [database.readinessCheck])
    IdentityProviderRoutes(
        discovery: DiscoveryHandlers(issuer: settings.issuer, publicURL: settings.publicURL, keyring: keyring),
        tokens: TokenEndpoint(settings: settings, accounts: accounts, refreshTokens: refreshTokens, codes: codes, keyring: keyring),
        authorization: AuthorizationEndpoint(settings: settings, accounts: accounts, codes: codes),
        sessions: SessionEndpoints(settings: settings, accounts: accounts, refreshTokens: refreshTokens, verifier: verifier),
        admin: AdminHandlers(accounts: accounts, refreshTokens: refreshTokens, keyring: keyring),
        adminAuthentication: verifier
    ).register(on: router)

    let rotation = settings.keyRotationInterval.map { KeyRotationService(keyring: keyring, interval: $0, logger: server.logger) }
    return server.makeApplication(
        router: router,
        services: ComponentServices(database: database, clients: [client], duties: rotation.map { [$0] } ?? []),
        onStarted: onStarted
    )
}
