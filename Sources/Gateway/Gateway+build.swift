public import EmporiumCore
public import Hummingbird
public import Logging

/// Builds the API gateway: the single public entry point, forwarding each route of
/// ``GatewayRoute/all`` to the component that owns it once its rate limit, access token and
/// ``AccessRule`` allow, and reporting every upstream's readiness.
///
/// - Parameters:
///   - settings: Where it listens, its upstream timeout and readiness targets.
///   - directory: Where upstreams are; filled from `settings.upstreamURLs` and by whoever starts them.
///   - logger: The base logger.
///   - onStarted: Told the bound port once the server listens.
public func buildGateway(
    settings: GatewaySettings,
    directory: UpstreamDirectory,
    logger: Logger? = nil,
    onStarted: ServerStartedHandler? = nil
) -> ComponentApplication {
    for (component, url) in settings.upstreamURLs { directory.register(component, baseURL: url) }
    let server = ComponentServer(component: Component.gateway.rawValue, settings: settings.server, logger: logger)
    let client = OutboundHTTPClient(timeout: settings.upstreamTimeout)
    // One breaker per upstream: a component that keeps failing is answered 503 at once for a while.
    let breakers = Dictionary(uniqueKeysWithValues: GatewayRoute.routedComponents.map { ($0, CircuitBreaker(name: $0.rawValue)) })
    let readiness: [any ReadinessCheck] = settings.readinessTargets.map { UpstreamReadinessCheck(component: $0, directory: directory, client: client) }
        + breakers.values.sorted { $0.name < $1.name }.map(\.readinessCheck)
    let router = server.makeRouter(readiness: readiness)
    let forwarder = UpstreamForwarder(client: client, directory: directory, timeout: settings.upstreamTimeout, breakers: breakers)
    // After the health routes, which stay open and unlimited for probes.
    router.add(middleware: GatewayAccessMiddleware(verifier: settings.auth.makeVerifier(client: client, logger: server.logger), limits: RateLimits(settings.rateLimits)))

    let methods: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options]
    for route in GatewayRoute.all {
        // `**` needs at least one more segment, so the bare prefix is registered too.
        for path in [route.prefix, route.prefix + "/**"] {
            for method in methods {
                router.on(RouterPath(path), method: method) { request, context in
                    try await forwarder.forward(request, context: context, route: route)
                }
            }
        }
    }
    return server.makeApplication(router: router, services: [client], onStarted: onStarted)
}
