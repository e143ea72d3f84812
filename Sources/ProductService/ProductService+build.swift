public import EmporiumCore
public import Hummingbird
public import Logging

/// Builds the Product Service: the catalog in its own database, read through
/// `GET /api/v1/products` and `GET /api/v1/products/{id}`.
///
/// Configuration: ``ServiceSettings`` under the `product` scope.
/// - Parameters:
///   - settings: Where it listens, its database, and whether to seed the demo catalog.
///   - broker: The message broker; nil keeps its events in its outbox.
///   - logger: The base logger.
///   - onStarted: Told the bound port once the server listens.
public func buildProductService(
    settings: ServiceSettings,
    broker: (any MessageBroker)? = nil,
    logger: Logger? = nil,
    onStarted: ServerStartedHandler? = nil
) async throws -> ComponentApplication {
    let server = ComponentServer(component: Component.product.rawValue, settings: settings.server, logger: logger)
    let seedDemoData = settings.seedDemoData
    return try await server.makeDatabaseApplication(
        database: settings.database,
        auth: settings.auth,
        migrations: [CreateProducts(), AddCatalogLifecycle(), CreateStockReservations()],
        broker: broker,
        consumers: [ServiceMessaging.Consumer(name: "product.stock", handler: StockReservationHandler(logger: server.logger))],
        prepare: { database in
            if seedDemoData { try await DemoCatalog.seedIfEmpty(database.database()) }
        },
        addRoutes: { router, resources in
            CatalogAdminRoutes(resources: resources).register(on: router, reads: CatalogRoutes(database: resources.database))
        },
        onStarted: onStarted
    )
}
