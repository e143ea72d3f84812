import Contracts
public import EmporiumCore
public import Hummingbird
public import Logging
import SimulatorSupport

/// Builds the simulator of the external payment gateway: a Stripe-style API (payment intents
/// created and confirmed in one call, refunds, `Idempotency-Key`, secret-key authentication, the
/// test methods `pm_card_visa`, `pm_card_chargeDeclined` and `pm_card_insufficientFunds`), with
/// configurable latency and error rate, on its own database.
/// - Parameters:
///   - settings: Where it listens, its database, key, latency and error rate.
///   - logger: The base logger.
///   - onStarted: Told the bound port once the server listens.
public func buildPaymentGatewaySimulator(
    settings: PaymentGatewaySettings,
    logger: Logger? = nil,
    onStarted: ServerStartedHandler? = nil
) async throws -> ComponentApplication {
    let server = try ComponentServer(component: Component.paymentGateway.rawValue, settings: settings.server, logger: logger)
    let database = try await ServiceDatabase.open(
        settings.database, migrations: PaymentGatewayMigrations.all, tracer: server.tracer, logger: server.logger)
    let router = server.makeRouter(readiness: [database.readinessCheck])
    let faults = FaultRoutes.install(settings.faults, operatorKey: settings.operatorKey, on: router, logger: server.logger)
    PaymentRoutes(settings: settings, faults: faults, ledger: PaymentLedger(database: database), keys: IdempotencyKeys(database: database))
        .register(on: router)
    return server.makeApplication(router: router, services: ComponentServices(database: database), onStarted: onStarted)
}
