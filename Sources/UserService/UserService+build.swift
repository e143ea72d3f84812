public import EmporiumCore
public import Hummingbird
public import Logging

/// Builds the User Service: registration (an account at the identity provider plus a profile
/// here), each user's own profile and addresses, and the user list for admins.
///
/// - Routes: ``UserServiceRoutes``.
/// - Publishes: `UserRegistered` with each new profile (``ProfileHandlers``).
/// - Consumes: nothing.
///
/// Configuration: ``ServiceSettings`` under the `user` scope, and the service's client secret at
/// the identity provider, `user.idp.client-secret` (`USER_IDP_CLIENT_SECRET`).
/// - Parameters:
///   - settings: Where it listens, its database and how tokens are checked.
///   - credentials: Its client credentials at the identity provider (client `user-service`).
///   - broker: The message broker; nil keeps its events in its outbox.
///   - logger: The base logger.
///   - onStarted: Told the bound port once the server listens.
public func buildUserService(
    settings: ServiceSettings,
    credentials: ClientCredentials,
    broker: (any MessageBroker)? = nil,
    logger: Logger? = nil,
    onStarted: ServerStartedHandler? = nil
) async throws -> ComponentApplication {
    let server = ComponentServer(component: Component.user.rawValue, settings: settings.server, logger: logger)
    let database = try await ServiceDatabase.open(settings.database, migrations: ServiceMessaging.migrations + [CreateProfiles()], logger: server.logger)
    try await database.prepare {
        if settings.seedDemoData { try await DemoProfiles.seedIfMissing(database.database()) }
    }
    let messaging = ServiceMessaging(service: server.component, database: database, broker: broker, logger: server.logger)

    let client = OutboundHTTPClient()
    let issuer = settings.auth.issuer
    let tokens = ServiceTokenProvider(issuer: issuer, credentials: credentials, scopes: [ServiceScope.manageAccounts], client: client)
    let resources = ServiceResources(database: database, outbox: messaging.outbox, client: client)
    let router = server.makeRouter(
        readiness: [database.readinessCheck],
        authentication: settings.auth.makeVerifier(client: client, logger: server.logger)
    )
    UserServiceRoutes(
        profiles: ProfileHandlers(resources: resources, accounts: IdentityProviderAccounts(issuer: issuer, tokens: tokens, client: client))
    ).register(on: router)

    return server.makeApplication(
        router: router,
        services: ComponentServices(database: database, clients: [client], relay: messaging.relay),
        onStarted: onStarted
    )
}

/// The User Service's client id at the identity provider.
public let userServiceClientID = "user-service"
