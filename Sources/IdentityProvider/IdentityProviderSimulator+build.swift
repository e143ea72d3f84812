public import EmporiumCore
public import Hummingbird
public import Logging

/// Builds the simulator of the external identity provider, a component of its own on loopback.
///
/// The real protocol it will speak is OpenID Connect (discovery, JWKS, token endpoint, admin API); that behaviour, and the client the services use
/// against it, arrive with the issues that need them. Until then it is a real HTTP server that
/// answers its health routes, so that the platform's topology and readiness are complete.
/// - Parameters:
///   - settings: Where it listens.
///   - logger: The base logger.
///   - onStarted: Told the bound port once the server listens.
public func buildIdentityProviderSimulator(
    settings: HTTPServerSettings,
    logger: Logger? = nil,
    onStarted: ServerStartedHandler? = nil
) -> ComponentApplication {
    let server = ComponentServer(component: Component.idp.rawValue, settings: settings, logger: logger)
    return server.makeApplication(router: server.makeRouter(readiness: []), onStarted: onStarted)
}
