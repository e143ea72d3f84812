public import EmporiumCore
public import Hummingbird
public import Logging
import ServiceLifecycle

/// Builds the identity-provider simulator: an OpenID Connect provider for the subset Emporium
/// uses, a component of its own with its own database.
///
/// - `GET /.well-known/openid-configuration`, `GET /.well-known/jwks.json` (active and next ES256
///   keys, plus retired keys while their tokens live);
/// - `POST /token` with the password, refresh_token and client_credentials grants (RFC 6749);
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
    let server = ComponentServer(component: Component.idp.rawValue, settings: settings.server, logger: logger)
    let database = try ServiceDatabase(location: settings.database, logger: server.logger)
    let keyring = SigningKeyring(database: database, accessTokenLifetime: settings.accessTokenLifetime)
    let accounts = AccountStore(database: database, hasher: PasswordHasher(cost: settings.bcryptCost), throttle: settings.loginThrottle)
    do {
        try await database.migrate(IdentityMigrations.all)
        try await keyring.load()
        if let password = settings.demoPassword {
            try await DemoAccountSeeder(accounts: accounts).seed(password: password)
        }
    } catch {
        await database.close()
        throw error
    }
    let refreshTokens = RefreshTokenStore(database: database, lifetime: settings.refreshTokenLifetime)
    let client = OutboundHTTPClient(timeout: .seconds(5))
    // The admin API checks tokens like any resource server: through discovery and the JWKS, here its own.
    let verifier = AuthSettings(issuer: settings.issuer).makeVerifier(client: client, logger: server.logger)

    let router = server.makeRouter(readiness: [database.readinessCheck])
    DiscoveryRoutes(issuer: settings.issuer, keyring: keyring).add(to: router)
    let tokens = TokenEndpoint(settings: settings, accounts: accounts, refreshTokens: refreshTokens, keyring: keyring)
    router.resource("/token") { routes in
        routes.post { request, context in try await tokens.respond(to: request, context: context) }
    }
    AdminRoutes(accounts: accounts, refreshTokens: refreshTokens, keyring: keyring)
        .add(to: router.group().add(middleware: AuthenticationMiddleware(verifier: verifier)))
    var services: [any Service] = [database.service, client]
    if let interval = settings.keyRotationInterval {
        services.append(KeyRotationService(keyring: keyring, interval: interval, logger: server.logger))
    }
    return server.makeApplication(router: router, services: services, onStarted: onStarted)
}
