import Contracts
public import EmporiumCore
public import Hummingbird
public import Logging
import SimulatorSupport

/// Builds the simulator of the external shipping API: deterministic rates by zone and weight,
/// shipments with a tracking number and label URL (one per caller reference, so retries never
/// ship twice), key authentication, and configurable latency and error rate, on its own database.
/// - Parameters:
///   - settings: Where it listens, its database, key, latency and error rate.
///   - logger: The base logger.
///   - onStarted: Told the bound port once the server listens.
public func buildShippingAPISimulator(
    settings: ShippingAPISettings,
    logger: Logger? = nil,
    onStarted: ServerStartedHandler? = nil
) async throws -> ComponentApplication {
    let server = try ComponentServer(component: Component.shipping.rawValue, settings: settings.server, logger: logger)
    let database = try await ServiceDatabase.open(settings.database, migrations: [CreateShipments()], tracer: server.tracer, logger: server.logger)
    let router = server.makeRouter(readiness: [database.readinessCheck])
    let faults = FaultRoutes.install(settings.faults, operatorKey: settings.operatorKey, on: router, logger: server.logger)
    ShippingRoutes(settings: settings, faults: faults, store: ShipmentStore(database: database)).register(on: router)
    return server.makeApplication(router: router, services: ComponentServices(database: database), onStarted: onStarted)
}
