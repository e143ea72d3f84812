import Contracts
import EmailService
public import EmporiumCore
public import Hummingbird
public import Logging

/// Builds the Notification Service: it consumes every event a customer should hear about, keeps
/// its own projection of recipients, renders each notification from Mustache templates, sends it
/// once through the configured email transport (SMTP, or `.eml` files), and lists the caller's own
/// notifications.
///
/// - Routes: ``NotificationServiceRoutes``.
/// - Publishes: nothing.
/// - Consumes (`notification.events`): `UserRegistered`, `OrderCreated`, `PaymentProcessed`,
///   `OrderShipped`, `OrderCancelled`, `PaymentRefunded` (``NotificationComposer/eventTypes``).
///
/// Configuration: ``NotificationSettings`` under the `notification` scope.
/// - Parameters:
///   - settings: Where it listens, its database, where mail goes and its templates.
///   - broker: The message broker; without one it receives no events.
///   - logger: The base logger.
///   - onStarted: Told the bound port once the server listens.
public func buildNotificationService(
    settings: NotificationSettings,
    broker: (any MessageBroker)? = nil,
    logger: Logger? = nil,
    onStarted: ServerStartedHandler? = nil
) async throws -> ComponentApplication {
    let server = try ComponentServer(component: Component.notification.rawValue, settings: settings.service.server, logger: logger)
    let templates = try await NotificationTemplates.load(overrides: settings.templatesDirectory)
    server.logger.notice("Notifications are sent to \(settings.transport.destination)")
    let database = try await ServiceDatabase.open(
        settings.service.database,
        migrations: ServiceMessaging.migrations + [CreateNotifications()],
        tracer: server.tracer,
        logger: server.logger
    )
    try await database.prepare {
        if settings.service.seedDemoData { try await RecipientDirectory(sql: try database.database().sql).seedDemoAccounts() }
    }
    let messaging = ServiceMessaging(service: server.component, database: database, broker: broker, logger: server.logger)
    let dispatch = Doorbell()
    let events = messaging.consumer(
        PlatformTopology.notifications,
        handler: NotificationHandler(templates: templates, dispatch: dispatch),
        retry: NotificationHandler.retry
    )

    let client = OutboundHTTPClient(for: server)
    let resources = ServiceResources(database: database, outbox: messaging.outbox, client: client)
    let router = server.makeRouter(
        readiness: [database.readinessCheck],
        authentication: settings.service.auth.makeVerifier(client: client, logger: server.logger)
    )
    NotificationServiceRoutes(
        notifications: NotificationHandlers(resources: resources),
        deadLetters: DeadLetterRoutes(service: .notification, database: database)
    ).register(on: router)

    let dispatcher = NotificationDispatcher(
        database: database,
        transport: settings.transport,
        sender: settings.sender,
        retry: RetryPolicy(maxAttempts: 8, baseDelay: .seconds(1), maxDelay: .seconds(300)),
        calls: OutboundCallMetrics(component: server.component),
        logger: server.logger
    )
    let duties = [
        WakeableLoop(name: "email", doorbell: dispatch, interval: .seconds(1), logger: server.logger, pass: dispatcher.pass),
        WakeableLoop(name: "email-recovery", interval: .seconds(2), logger: server.logger) {
            if try await dispatcher.recover() { dispatch.ring() }
            return false
        },
    ]
    return server.makeApplication(
        router: router,
        services: ComponentServices(database: database, clients: [client], relay: messaging.relay, consumers: [events], duties: duties),
        onStarted: onStarted
    )
}
