import Contracts
public import EmporiumCore
public import Hummingbird
public import Logging
import SimulatorSupport

/// Builds the simulated email service, the external system the Notification Service sends mail
/// to: a real SMTP server (``SMTPServer``) that writes each message it accepts as an `.eml` file,
/// beside an HTTP server for its health and its faults.
///
/// - Serves SMTP on `smtp.port`; over HTTP, `/health/…`, `/metrics`, and `GET`/`PUT
///   /simulator/faults` with its operator key (``FaultRoutes``): refusals (554) and latency,
///   changeable at run time from the console.
/// - Calls nothing; publishes and consumes no events; keeps no database (the mail is files).
/// - Parameters:
///   - settings: Where it listens, where mail goes, its faults.
///   - logger: The base logger.
///   - onStarted: Told the bound HTTP port once the server listens.
///   - onSMTPListening: Told the SMTP port once it listens.
public func buildEmailServiceSimulator(
    settings: EmailSimulatorSettings,
    logger: Logger? = nil,
    onStarted: ServerStartedHandler? = nil,
    onSMTPListening: (@Sendable (Int) async -> Void)? = nil
) throws -> ComponentApplication {
    let server = try ComponentServer(component: Component.email.rawValue, settings: settings.server, logger: logger)
    let router = server.makeRouter(readiness: [])
    let faults = FaultRoutes.install(settings.faults, operatorKey: settings.operatorKey, on: router, logger: server.logger)
    var smtp = SMTPServer(
        host: settings.server.host, port: settings.smtpPort, serverName: "email.emporium.localhost", faults: faults,
        mailbox: Mailbox(directory: settings.mailDirectory), logger: server.logger)
    smtp.onListening = onSMTPListening
    return server.makeApplication(router: router, services: ComponentServices(duties: [smtp]), onStarted: onStarted)
}
