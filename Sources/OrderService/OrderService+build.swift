public import EmporiumCore
public import Hummingbird
public import Logging
import ShippingAPI

/// Builds the Order Service: checkout (`POST /api/v1/orders`), the caller's orders, cancellation,
/// and the order's side of the saga — stock answers and payment outcomes move it through its
/// states, paid orders are shipped through the shipping API, unpaid ones expire.
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
    let server = ComponentServer(component: Component.order.rawValue, settings: settings.service.server, logger: logger)
    let client = OutboundHTTPClient()
    let product = DependencyClient(location: settings.product, http: client)
    let shipping = DependencyClient(location: settings.shipping, http: client)
    let carrier = ShippingAPIClient(dependency: shipping, apiKey: settings.shippingAPIKey)
    let shipments = Doorbell()
    let shipmentVoids = Doorbell()
    return try await server.makeDatabaseApplication(
        database: settings.service.database,
        auth: settings.service.auth,
        migrations: [CreateOrders()] + IdempotentRequests.migrations + [AddShipmentVoidOwed()],
        broker: broker,
        consumers: [ServiceMessaging.Consumer(name: "order.saga", handler: OrderSagaHandler(shipments: shipments, logger: server.logger))],
        client: client,
        readiness: [product.readinessCheck, shipping.readinessCheck],
        background: { resources in
            let dispatcher = ShipmentDispatcher(resources: resources, carrier: carrier, voids: shipmentVoids, logger: server.logger)
            let voider = ShipmentVoider(resources: resources, carrier: carrier, logger: server.logger)
            let expiry = OrderExpiry(resources: resources, logger: server.logger)
            return [
                WakeableLoop(name: "shipments", doorbell: shipments, interval: .seconds(5), logger: server.logger, pass: dispatcher.pass),
                WakeableLoop(name: "shipment-voids", doorbell: shipmentVoids, interval: .seconds(10), logger: server.logger, pass: voider.pass),
                WakeableLoop(name: "expiry", interval: settings.expiryInterval, logger: server.logger, pass: expiry.pass),
            ]
        },
        addRoutes: { router, resources in
            let checkout = CheckoutRoutes(
                resources: resources,
                pricing: OrderPricing(catalog: CatalogClient(dependency: product), carrier: carrier),
                idempotency: IdempotentRequests(database: resources.database),
                paymentWindow: settings.paymentWindow
            )
            OrderRoutes(resources: resources, checkout: checkout, shipmentVoids: shipmentVoids).register(on: router)
        },
        onStarted: onStarted
    )
}
