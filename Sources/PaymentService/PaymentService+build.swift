public import EmporiumCore
public import Hummingbird
public import Logging
import PaymentGateway

/// Builds the Payment Service: `POST /api/v1/payments` charges the caller's order through the
/// payment gateway (reading the order from the Order Service with its own token), the caller's
/// payments, and refunds of the payments of cancelled orders.
///
/// Configuration: ``PaymentSettings`` under the `payment` scope.
/// - Parameters:
///   - settings: Where it listens, its database, its dependencies and credentials.
///   - broker: The message broker; nil keeps its events in its outbox.
///   - logger: The base logger.
///   - onStarted: Told the bound port once the server listens.
public func buildPaymentService(
    settings: PaymentSettings,
    broker: (any MessageBroker)? = nil,
    logger: Logger? = nil,
    onStarted: ServerStartedHandler? = nil
) async throws -> ComponentApplication {
    let server = ComponentServer(component: Component.payment.rawValue, settings: settings.service.server, logger: logger)
    let client = OutboundHTTPClient()
    let order = DependencyClient(location: settings.order, http: client)
    let gatewayDependency = DependencyClient(location: settings.paymentGateway, http: client, timeout: .seconds(10))
    let gateway = PaymentGatewayClient(dependency: gatewayDependency, secretKey: settings.paymentGatewaySecretKey)
    let tokens = ServiceTokenProvider(issuer: settings.service.auth.issuer, credentials: settings.credentials, scopes: [ServiceScope.readOrders], client: client)
    let refunds = Doorbell()
    let charges = { (resources: ServiceResources) in
        ChargeProcessor(resources: resources, gateway: gateway, refunds: refunds, stalledAfter: settings.stalledChargeAfter, logger: server.logger)
    }
    return try await server.makeDatabaseApplication(
        database: settings.service.database,
        auth: settings.service.auth,
        migrations: [CreatePayments()] + IdempotentRequests.migrations,
        broker: broker,
        consumers: [ServiceMessaging.Consumer(name: "payment.refunds", handler: RefundOnCancellation(refunds: refunds))],
        client: client,
        readiness: [order.readinessCheck, gatewayDependency.readinessCheck],
        background: { resources in
            let dispatcher = RefundDispatcher(resources: resources, gateway: gateway, logger: server.logger)
            return [
                WakeableLoop(name: "refunds", doorbell: refunds, interval: .seconds(5), logger: server.logger, pass: dispatcher.pass),
                WakeableLoop(name: "stalled-charges", interval: settings.stalledChargeAfter, logger: server.logger, pass: charges(resources).resumeStalled),
            ]
        },
        addRoutes: { router, resources in
            PaymentRoutes(
                resources: resources,
                orders: OrderDirectory(dependency: order, tokens: tokens),
                charges: charges(resources),
                idempotency: IdempotentRequests(database: resources.database)
            ).register(on: router)
        },
        onStarted: onStarted
    )
}
