import Contracts
public import EmporiumCore
import FluentKit
public import Hummingbird
public import Logging

/// Builds the Product Service: the catalog in its own database, read by anyone and written by
/// admins, with their pictures; the stock that orders reserve; and which products are bought
/// together.
///
/// - Routes: ``ProductServiceRoutes``.
/// - Publishes: `ProductUpdated` with each catalog write (``CatalogWrites``); `StockReserved` or
///   `StockRejected` in answer to each order (``StockReservationHandler``).
/// - Consumes (`product.stock`): `OrderCreated`, `OrderCancelled`; (`product.recommendations`):
///   `OrderCreated`, whose products ``CoPurchaseCounter`` counts as bought together.
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
    let server = try ComponentServer(component: Component.product.rawValue, settings: settings.server, logger: logger)
    let database = try await ServiceDatabase.open(
        settings.database,
        migrations: ServiceMessaging.migrations + [
            CreateProducts(), AddCatalogLifecycle(), CreateStockReservations(), CreateCoPurchases(), CreateProductImages(),
            indexProductImagesByProduct,
        ],
        tracer: server.tracer,
        logger: server.logger
    )
    try await database.prepare {
        if settings.seedDemoData { try await DemoCatalog.seedIfEmpty(database.database()) }
        // Every product has a picture: a drawn one until an admin uploads another.
        let drawn = try await database.database().transaction { try await ProductImageStore($0).illustrateProductsWithoutPictures() }
        if drawn > 0 { server.logger.info("Drew pictures for products that had none", metadata: ["products": "\(drawn)"]) }
    }
    let messaging = ServiceMessaging(service: server.component, database: database, broker: broker, logger: server.logger)
    let stock = messaging.consumer(PlatformTopology.stockReservations, handler: StockReservationHandler(logger: server.logger))
    let recommendations = messaging.consumer(PlatformTopology.recommendations, handler: CoPurchaseCounter())

    let client = OutboundHTTPClient(for: server)
    let resources = ServiceResources(database: database, outbox: messaging.outbox, client: client)
    let router = server.makeRouter(
        readiness: [database.readinessCheck],
        authentication: settings.auth.makeVerifier(client: client, logger: server.logger),
        uploads: [UploadRoute(method: .post, path: ProductImage.uploadPath, maxBodyBytes: ProductImage.maxBytes)]
    )
    ProductServiceRoutes(
        reads: CatalogReads(database: database), writes: CatalogWrites(resources: resources),
        boughtTogether: BoughtTogetherReads(database: database),
        images: ProductImageHandlers(database: database),
        deadLetters: DeadLetterRoutes(service: .product, database: database)
    ).register(on: router)

    return server.makeApplication(
        router: router,
        services: ComponentServices(database: database, clients: [client], relay: messaging.relay, consumers: [stock, recommendations]),
        onStarted: onStarted
    )
}
