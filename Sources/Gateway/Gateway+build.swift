import APIContract
import Contracts
public import CoreMetrics
public import EmporiumCore
public import Hummingbird
public import Logging

/// Builds the API gateway: the single public entry point, forwarding each route of
/// ``GatewayRoute/all`` to the component that owns it once its rate limit, access token and
/// ``AccessRule`` allow (the shop's pages, ``GatewayRoute/web``, go to the storefront with the
/// browser's cookies), reporting every upstream's readiness, and serving the public API's
/// contract (`/openapi.json`, `/openapi.yaml`, and the reference page at `/docs`).
///
/// A component may have several instances: requests go round robin to those that pass the active
/// health checks and whose own circuit breaker is closed, and a request without a body that fails
/// on one instance is sent once more to another. Requests whose checks need no wait are forwarded
/// by a ``FastForwardingHandler`` on the event loop that received them, the rest by the router
/// (ADR 36); either way with the same outcome.
///
/// - Parameters:
///   - settings: Where it listens, its upstream timeout and readiness targets.
///   - directory: Where upstreams are; filled from `settings.upstreamURLs` and by whoever starts them.
///   - logger: The base logger.
///   - onStarted: Told the bound port once the server listens.
///   - metrics: Where the fast path's metrics go: the process-wide system unless a test passes its own.
public func buildGateway(
    settings: GatewaySettings,
    directory: UpstreamDirectory,
    logger: Logger? = nil,
    onStarted: ServerStartedHandler? = nil,
    metrics: any MetricsFactory = MetricsSystem.factory
) throws -> ComponentApplication {
    for (component, urls) in settings.upstreamURLs { directory.register(component, baseURLs: urls) }
    let server = try ComponentServer(component: Component.gateway.rawValue, settings: settings.server, logger: logger)
    let client = OutboundHTTPClient(for: server, timeout: settings.upstreamTimeout)
    let readiness: [any ReadinessCheck] =
        settings.readinessTargets.map { UpstreamReadinessCheck(component: $0, directory: directory, client: client) }
        + [InstanceBreakersCheck(directory: directory)]
    // The public edge shows its metrics only to a scraper on its own machine.
    // A product's picture is larger than the JSON bodies the gateway otherwise takes, through the
    // API and through the back office's upload form.
    let uploads = [
        UploadRoute(method: .post, path: ProductImage.uploadPath, maxBodyBytes: ProductImage.maxBytes),
        UploadRoute(method: .post, path: ProductImage.formUploadPath, maxBodyBytes: ProductImage.formUploadMaxBytes),
    ]
    let router = server.makeRouter(readiness: readiness, metricsFromLoopbackOnly: true, uploads: uploads)
    router.addContractRoutes(.bundled)
    let forwarder = UpstreamForwarder(client: client, directory: directory, timeout: settings.upstreamTimeout)
    let methodsCheck = ContractMethodsMiddleware(contract: .bundled)
    let access = GatewayAccessMiddleware(
        verifier: settings.auth.makeVerifier(client: client, logger: server.logger), limits: RateLimits(settings.rateLimits))
    router.add(middleware: methodsCheck)
    // After the health routes, which stay open and unlimited for probes.
    router.add(middleware: access)

    let methods = ContractMethodsMiddleware.forwardedMethods
    for route in GatewayRoute.all {
        for path in route.registeredPaths {
            for method in methods {
                router.on(RouterPath(path), method: method) { request, context in
                    try await forwarder.forward(request, context: context, route: route)
                }
            }
        }
    }
    let probe = UpstreamHealthProbe(directory: directory, client: client, interval: settings.healthCheckInterval, logger: server.logger)
    let pools = UpstreamConnectionPools()
    let fastPath = FastForwarder(
        directory: directory, access: access, methods: methodsCheck, timeout: settings.upstreamTimeout, server: server, pools: pools, metrics: metrics
    )
    return server.makeApplication(
        router: router, services: ComponentServices(clients: [client], duties: [probe, pools]), onStarted: onStarted,
        connectionHandlers: { settings.fastPath ? [fastPath.makeHandler()] : [] })
}
