public import EmporiumCore
public import Hummingbird
public import Logging

/// Builds the simulator of the external payment gateway, a component of its own on loopback.
///
/// The real protocol it will speak is a Stripe-style HTTPS API (payment intents, refunds, Idempotency-Key); that behaviour, and the client the services use
/// against it, arrive with the issues that need them. Until then it is a real HTTP server that
/// answers its health routes, so that the platform's topology and readiness are complete.
/// - Parameters:
///   - settings: Where it listens.
///   - logger: The base logger.
///   - onStarted: Told the bound port once the server listens.
public func buildPaymentGatewaySimulator(
    settings: HTTPServerSettings,
    logger: Logger? = nil,
    onStarted: ServerStartedHandler? = nil
) -> ComponentApplication {
    let server = ComponentServer(component: Component.paymentGateway.rawValue, settings: settings, logger: logger)
    return server.makeApplication(router: server.makeRouter(readiness: []), onStarted: onStarted)
}
