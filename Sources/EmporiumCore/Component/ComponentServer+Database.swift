public import FluentKit
public import Hummingbird

extension ComponentServer {
    /// Builds a database-owning service: opens its database, applies its migrations, and serves
    /// the routes `addRoutes` registers, with the database in its readiness check.
    ///
    /// - Parameters:
    ///   - database: Where the service's database lives.
    ///   - migrations: The service's schema, in order.
    ///   - prepare: Runs after migrations and before the server starts (demo data).
    ///   - addRoutes: Registers the service's routes.
    ///   - onStarted: Told the bound port once the server listens.
    public func makeDatabaseApplication(
        database location: DatabaseLocation,
        migrations: [any Migration],
        prepare: @Sendable (ServiceDatabase) async throws -> Void = { _ in },
        addRoutes: (Router<EmporiumRequestContext>, ServiceDatabase) -> Void = { _, _ in },
        onStarted: ServerStartedHandler? = nil
    ) async throws -> ComponentApplication {
        let database = try ServiceDatabase(location: location, logger: logger)
        do {
            try await database.migrate(migrations)
            try await prepare(database)
        } catch {
            await database.databases.shutdownAsync()
            throw error
        }
        let router = makeRouter(readiness: [database.readinessCheck])
        addRoutes(router, database)
        return makeApplication(router: router, services: [database.service], onStarted: onStarted)
    }
}
