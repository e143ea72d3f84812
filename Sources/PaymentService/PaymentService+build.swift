import Contracts
public import EmporiumCore
public import Hummingbird
public import Logging
import PaymentGateway

/// Builds the Payment Service: charging the caller's order through the payment gateway (reading
/// the order from the Order Service with its own token), the caller's payments, any order's
/// payments for the back office (admins), and refunds of the payments of cancelled orders.
///
/// - Routes: ``PaymentServiceRoutes``.
/// - Publishes: `PaymentProcessed` when a charge ends (``ChargeProcessor``), `PaymentRefunded`
///   when a refund goes through (``RefundDispatcher``).
/// - Consumes (`payment.refunds`): `OrderCancelled`.
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
    let server = try ComponentServer(component: Component.payment.rawValue, settings: settings.service.server, logger: logger)
    let database = try await ServiceDatabase.open(
        settings.service.database,
        migrations: ServiceMessaging.migrations + [CreatePayments()] + IdempotentRequests.migrations,
        tracer: server.tracer,
        logger: server.logger
    )
    let messaging = ServiceMessaging(service: server.component, database: database, broker: broker, logger: server.logger)
    let refunds = Doorbell()
    let cancellations = messaging.consumer(PlatformTopology.refunds, handler: RefundOnCancellation(refunds: refunds))

    let client = OutboundHTTPClient(for: server)
    let order = DependencyClient(location: settings.order, http: client)
    let gatewayDependency = DependencyClient(location: settings.paymentGateway, http: client, timeout: .seconds(10))
    let gateway = PaymentGatewayClient(dependency: gatewayDependency, secretKey: settings.paymentGatewaySecretKey)
    let tokens = ServiceTokenProvider(
        issuer: settings.service.auth.issuer, credentials: settings.credentials, scopes: [ServiceScope.readOrders], client: client)
    let resources = ServiceResources(database: database, outbox: messaging.outbox, client: client)
    let charges = ChargeProcessor(
        resources: resources, gateway: gateway, refunds: refunds, stalledAfter: settings.stalledChargeAfter, logger: server.logger)

    let router = server.makeRouter(
        readiness: [database.readinessCheck, order.readinessCheck, gatewayDependency.readinessCheck],
        authentication: settings.service.auth.makeVerifier(client: client, logger: server.logger)
    )
    PaymentServiceRoutes(
        payments: PaymentHandlers(
            resources: resources,
            orders: OrderDirectory(dependency: order, tokens: tokens),
            charges: charges,
            idempotency: IdempotentRequests(database: database)
        ),
        admin: AdminPaymentHandlers(resources: resources),
        deadLetters: DeadLetterRoutes(service: .payment, database: database)
    ).register(on: router)

    let refundDispatcher = RefundDispatcher(resources: resources, gateway: gateway, logger: server.logger)
    let duties = [
        WakeableLoop(name: "refunds", doorbell: refunds, interval: .seconds(5), logger: server.logger, pass: refundDispatcher.pass),
        WakeableLoop(name: "stalled-charges", interval: settings.stalledChargeAfter, logger: server.logger, pass: charges.resumeStalled),
    ]
    return server.makeApplication(
        router: router,
        services: ComponentServices(database: database, clients: [client], relay: messaging.relay, consumers: [cancellations], duties: duties),
        onStarted: onStarted
    )
}
