public import EmporiumCore
public import Hummingbird
public import Logging

/// Builds the Notification Service, which owns the notifications it has sent in its own database.
///
/// So far it serves only its health routes: its API and schema come with the issues that build
/// them (see the README's status table). Every other path answers a 404 problem.
///
/// Configuration: ``ServiceSettings`` under the `notification` scope.
/// - Parameters:
///   - settings: Where it listens and its database.
///   - broker: The message broker; nil keeps its events in its outbox.
///   - logger: The base logger.
///   - onStarted: Told the bound port once the server listens.
public func buildNotificationService(
    settings: ServiceSettings,
    broker: (any MessageBroker)? = nil,
    logger: Logger? = nil,
    onStarted: ServerStartedHandler? = nil
) async throws -> ComponentApplication {
    let server = ComponentServer(component: Component.notification.rawValue, settings: settings.server, logger: logger)
    return try await server.makeDatabaseApplication(database: settings.database, auth: settings.auth, migrations: [], broker: broker, onStarted: onStarted)
}
