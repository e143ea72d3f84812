import Contracts
public import EmporiumCore
public import Hummingbird
public import Logging
import ShippingAPI

/// Builds the Order Service: checkout, the caller's orders, cancellation, every order for the
/// back office (admins), and the order's side
/// of the saga — stock answers and payment outcomes move it through its states, paid orders are
/// shipped through the shipping API, unpaid ones expire.
///
/// - Routes: ``OrderServiceRoutes``.
/// - Publishes: `OrderCreated` at checkout; `OrderCancelled` and `OrderShipped` as
///   ``OrderTransition`` says.
/// - Consumes (`order.saga`): `StockReserved`, `StockRejected`, `PaymentProcessed`.
///
/// Configuration: ``OrderSettings`` under the `order` scope.
/// - Parameters:
///   - settings: Where it listens, its database, its dependencies and the payment window.
///   - broker: The message broker; nil keeps its events in its outbox.
///   - logger: The base logger.
///   - onStarted: Told the bound port once the server listens.
public func buildOrderService(
    settings: OrderSettings,
    broker: (any MessageBroker)? = nil,
    logger: Logger? = nil,
    onStarted: ServerStartedHandler? = nil
) async throws -> ComponentApplication {
    let server = try ComponentServer(component: Component.order.rawValue, settings: settings.service.server, logger: logger)
    let database = try await ServiceDatabase.open(
        settings.service.database,
        migrations: ServiceMessaging.migrations + [CreateOrders()] + IdempotentRequests.migrations + [AddShipmentVoidOwed(), AddOrderTraceparent()],
        tracer: server.tracer,
        logger: server.logger
    )
    let messaging = ServiceMessaging(service: server.component, database: database, broker: broker, logger: server.logger)
    let shipments = Doorbell()
    let shipmentVoids = Doorbell()
    let saga = messaging.consumer(PlatformTopology.orderSaga, handler: OrderSagaHandler(shipments: shipments, logger: server.logger))

    let client = OutboundHTTPClient(for: server)
    let product = DependencyClient(location: settings.product, http: client)
    let shipping = DependencyClient(location: settings.shipping, http: client)
    let carrier = ShippingAPIClient(dependency: shipping, apiKey: settings.shippingAPIKey)
    let resources = ServiceResources(database: database, outbox: messaging.outbox, client: client)

    let router = server.makeRouter(
        readiness: [database.readinessCheck, product.readinessCheck, shipping.readinessCheck],
        authentication: settings.service.auth.makeVerifier(client: client, logger: server.logger)
    )
    OrderServiceRoutes(
        checkout: CheckoutHandler(
            resources: resources,
            pricing: OrderPricing(catalog: CatalogClient(dependency: product), carrier: carrier),
            idempotency: IdempotentRequests(database: database),
            paymentWindow: settings.paymentWindow
        ),
        orders: OrderHandlers(resources: resources, shipmentVoids: shipmentVoids),
        admin: AdminOrderHandlers(resources: resources),
        deadLetters: DeadLetterRoutes(service: .order, database: database)
    ).register(on: router)

    let dispatcher = ShipmentDispatcher(resources: resources, carrier: carrier, voids: shipmentVoids, logger: server.logger)
    let voider = ShipmentVoider(resources: resources, carrier: carrier, logger: server.logger)
    let expiry = OrderExpiry(resources: resources, logger: server.logger)
    let duties = [
        WakeableLoop(name: "shipments", doorbell: shipments, interval: .seconds(5), logger: server.logger, pass: dispatcher.pass),
        WakeableLoop(name: "shipment-voids", doorbell: shipmentVoids, interval: .seconds(10), logger: server.logger, pass: voider.pass),
        WakeableLoop(name: "expiry", interval: settings.expiryInterval, logger: server.logger, pass: expiry.pass),
    ]
    return server.makeApplication(
        router: router,
        services: ComponentServices(database: database, clients: [client], relay: messaging.relay, consumers: [saga], duties: duties),
        onStarted: onStarted
    )
}
