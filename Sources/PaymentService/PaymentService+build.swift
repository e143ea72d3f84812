public import EmporiumCore
public import Hummingbird
public import Logging

/// Builds the Payment Service, which owns payments and refunds in its own database.
///
/// So far it serves only its health routes: its API and schema come with the issues that build
/// them (see the README's status table). Every other path answers a 404 problem.
///
/// Configuration: ``ServiceSettings`` under the `payment` scope.
/// - Parameters:
///   - settings: Where it listens and its database.
///   - broker: The message broker; nil keeps its events in its outbox.
///   - logger: The base logger.
///   - onStarted: Told the bound port once the server listens.
public func buildPaymentService(
    settings: ServiceSettings,
    broker: (any MessageBroker)? = nil,
    logger: Logger? = nil,
    onStarted: ServerStartedHandler? = nil
) async throws -> ComponentApplication {
    let server = ComponentServer(component: Component.payment.rawValue, settings: settings.server, logger: logger)
    return try await server.makeDatabaseApplication(database: settings.database, auth: settings.auth, migrations: [], broker: broker, onStarted: onStarted)
}
