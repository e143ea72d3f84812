public import EmporiumCore
public import Hummingbird
public import Logging

/// Builds the simulator of the external email service, a component of its own on loopback.
///
/// The real protocol it will speak is SMTP submission, with a development transport that writes .eml files; that behaviour, and the client the services use
/// against it, arrive with the issues that need them. Until then it is a real HTTP server that
/// answers its health routes, so that the platform's topology and readiness are complete.
/// - Parameters:
///   - settings: Where it listens.
///   - logger: The base logger.
///   - onStarted: Told the bound port once the server listens.
public func buildEmailServiceSimulator(
    settings: HTTPServerSettings,
    logger: Logger? = nil,
    onStarted: ServerStartedHandler? = nil
) -> ComponentApplication {
    let server = ComponentServer(component: Component.email.rawValue, settings: settings, logger: logger)
    return server.makeApplication(router: server.makeRouter(readiness: []), onStarted: onStarted)
}
