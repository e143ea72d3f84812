import EmailService
public import EmporiumCore
public import Hummingbird
public import Logging

/// Builds the Notification Service: it consumes every event a customer should hear about, keeps
/// its own projection of recipients, renders each notification from Mustache templates, sends it
/// once through the configured email transport (SMTP, or `.eml` files), and lists the caller's own
/// notifications at `GET /api/v1/notifications`.
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
    let server = ComponentServer(component: Component.notification.rawValue, settings: settings.service.server, logger: logger)
    let templates = try await NotificationTemplates.load(overrides: settings.templatesDirectory)
    let dispatch = Doorbell()
    let seedDemoData = settings.service.seedDemoData
    server.logger.notice("Notifications are sent to \(settings.transport.destination)")
    return try await server.makeDatabaseApplication(
        database: settings.service.database,
        auth: settings.service.auth,
        migrations: [CreateNotifications()],
        broker: broker,
        consumers: [
            ServiceMessaging.Consumer(
                name: "notification.events",
                handler: NotificationHandler(templates: templates, dispatch: dispatch),
                retry: NotificationHandler.retry
            )
        ],
        background: { resources in
            let dispatcher = NotificationDispatcher(
                database: resources.database,
                transport: settings.transport,
                sender: settings.sender,
                retry: RetryPolicy(maxAttempts: 8, baseDelay: .seconds(1), maxDelay: .seconds(300)),
                logger: server.logger
            )
            return [
                WakeableLoop(name: "email", doorbell: dispatch, interval: .seconds(1), logger: server.logger, pass: dispatcher.pass),
                WakeableLoop(name: "email-recovery", interval: .seconds(2), logger: server.logger) {
                    if try await dispatcher.recover() { dispatch.ring() }
                    return false
                },
            ]
        },
        prepare: { database in
            if seedDemoData { try await RecipientDirectory(sql: try database.database().sql).seedDemoAccounts() }
        },
        addRoutes: { router, resources in
            NotificationRoutes(resources: resources).register(on: router)
        },
        onStarted: onStarted
    )
}
