public import EmporiumCore
public import Hummingbird
public import Logging

/// Builds the User Service: registration (an account at the identity provider plus a profile
/// here, announced with `UserRegistered`), each user's own profile and addresses, and the user
/// list for admins.
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
    let seedDemoData = settings.seedDemoData
    let issuer = settings.auth.issuer
    return try await server.makeDatabaseApplication(
        database: settings.database,
        auth: settings.auth,
        migrations: [CreateProfiles()],
        broker: broker,
        prepare: { database in
            if seedDemoData { try await DemoProfiles.seedIfMissing(database.database()) }
        },
        addRoutes: { router, resources in
            let tokens = ServiceTokenProvider(issuer: issuer, credentials: credentials, scopes: [ServiceScope.manageAccounts], client: resources.client)
            let accounts = IdentityProviderAccounts(issuer: issuer, tokens: tokens, client: resources.client)
            ProfileRoutes(resources: resources, accounts: accounts).register(on: router)
        },
        onStarted: onStarted
    )
}

/// The User Service's client id at the identity provider.
public let userServiceClientID = "user-service"
