public import FluentKit
public import Hummingbird
public import ServiceLifecycle

extension ComponentServer {
    /// Builds a database-owning service: opens its database, applies the messaging tables and its
    /// own migrations, and serves the routes `addRoutes` registers, with the database in its
    /// readiness check and its outbox relay and consumers running beside the server.
    ///
    /// - Parameters:
    ///   - database: Where the service's database lives.
    ///   - auth: How access tokens are checked; every route added by `addRoutes` sees the
    ///     verified ``Principal`` in its context.
    ///   - migrations: The service's schema, in order.
    ///   - broker: Where its events go and come from; nil keeps them in the outbox.
    ///   - consumers: Its consumer groups.
    ///   - client: The service's outbound client, when the caller built clients of its
    ///     dependencies on it before (their breakers go in `readiness`).
    ///   - readiness: Checks beyond the database's, such as the breakers of its dependencies.
    ///   - background: Duties that run beside the server (``WakeableLoop``s), given the resources.
    ///   - prepare: Runs after migrations and before the server starts (demo data).
    ///   - addRoutes: Registers the service's routes, which write events through the outbox and call
    ///     other components through the service's outbound client.
    ///   - onStarted: Told the bound port once the server listens.
    public func makeDatabaseApplication(
        database location: DatabaseLocation,
        auth: AuthSettings,
        migrations: [any Migration],
        broker: (any MessageBroker)? = nil,
        consumers: [ServiceMessaging.Consumer] = [],
        client: OutboundHTTPClient = OutboundHTTPClient(),
        readiness: [any ReadinessCheck] = [],
        background: (ServiceResources) -> [any Service] = { _ in [] },
        prepare: @Sendable (ServiceDatabase) async throws -> Void = { _ in },
        addRoutes: (Router<EmporiumRequestContext>, ServiceResources) -> Void = { _, _ in },
        onStarted: ServerStartedHandler? = nil
    ) async throws -> ComponentApplication {
        let database = try ServiceDatabase(location: location, logger: logger)
        do {
            try await database.migrate(ServiceMessaging.migrations + migrations)
            try await prepare(database)
        } catch {
            await database.close()
            throw error
        }
        if broker == nil {
            logger.warning("No message broker configured: events wait in the outbox until one is")
        }
        let messaging = ServiceMessaging(service: component, database: database, broker: broker, consumers: consumers, logger: logger)
        let router = makeRouter(readiness: [database.readinessCheck] + readiness)
        // After the health routes, which probes reach without a token.
        router.add(middleware: AuthenticationMiddleware(verifier: auth.makeVerifier(client: client, logger: logger)))
        let resources = ServiceResources(database: database, outbox: messaging.outbox, client: client)
        addRoutes(router, resources)
        // The database is first, so that it closes last: after the server, the consumers, the
        // background duties and the relay (which publishes what the others wrote).
        return makeApplication(router: router, services: [database.service, client] + messaging.services + background(resources), onStarted: onStarted)
    }
}

/// What a database-owning service's routes work with.
public struct ServiceResources: Sendable {
    /// The service's own database.
    public let database: ServiceDatabase
    /// Where its events go, inside its transactions.
    public let outbox: Outbox
    /// Its client for calls to other components.
    public let client: OutboundHTTPClient
}
