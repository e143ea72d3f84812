import Contracts
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
/// Configuration: ``UserSettings`` under the `user` scope.
/// - Parameters:
///   - settings: Where it listens, its database, how tokens are checked, and its credentials at
///     the identity provider.
///   - broker: The message broker; nil keeps its events in its outbox.
///   - logger: The base logger.
///   - onStarted: Told the bound port once the server listens.
public func buildUserService(
    settings: UserSettings,
    broker: (any MessageBroker)? = nil,
    logger: Logger? = nil,
    onStarted: ServerStartedHandler? = nil
) async throws -> ComponentApplication {
    let server = try ComponentServer(component: Component.user.rawValue, settings: settings.service.server, logger: logger)
    let database = try await ServiceDatabase.open(
        settings.service.database, migrations: ServiceMessaging.migrations + [CreateProfiles()], tracer: server.tracer, logger: server.logger)
    try await database.prepare {
        if settings.service.seedDemoData { try await DemoProfiles.seedIfMissing(database.database()) }
    }
    let messaging = ServiceMessaging(service: server.component, database: database, broker: broker, logger: server.logger)

    let client = OutboundHTTPClient(for: server)
    let issuer = settings.service.auth.issuer
    let tokens = ServiceTokenProvider(issuer: issuer, credentials: settings.credentials, scopes: [ServiceScope.manageAccounts], client: client)
    let resources = ServiceResources(database: database, outbox: messaging.outbox, client: client)
    let router = server.makeRouter(
        readiness: [database.readinessCheck],
        authentication: settings.service.auth.makeVerifier(client: client, logger: server.logger)
    )
    UserServiceRoutes(
        profiles: ProfileHandlers(resources: resources, accounts: IdentityProviderAccounts(issuer: issuer, tokens: tokens, client: client)),
        deadLetters: DeadLetterRoutes(service: .user, database: database)
    ).register(on: router)

    return server.makeApplication(
        router: router,
        services: ComponentServices(database: database, clients: [client], relay: messaging.relay),
        onStarted: onStarted
    )
}
