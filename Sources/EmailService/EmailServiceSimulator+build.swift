import Contracts
public import EmporiumCore
public import Hummingbird
public import Logging

/// Builds the email service's component in the platform's topology: a real HTTP server that
/// answers its health routes.
///
/// The protocol side lives beside it in this library: ``EmailMessage`` (RFC 5322 / MIME),
/// ``SMTPTransport`` (a real SMTP client) and ``FileTransport`` (`.eml` files, the embedded mode's
/// development transport). The Notification Service sends through them once its consumers exist
/// (``NotificationDispatcher`` in the Notification Service).
/// - Parameters:
///   - settings: Where it listens.
///   - logger: The base logger.
///   - onStarted: Told the bound port once the server listens.
public func buildEmailServiceSimulator(
    settings: HTTPServerSettings,
    logger: Logger? = nil,
    onStarted: ServerStartedHandler? = nil
) throws -> ComponentApplication {
    let server = try ComponentServer(component: Component.email.rawValue, settings: settings, logger: logger)
    return server.makeApplication(router: server.makeRouter(readiness: []), onStarted: onStarted)
}
