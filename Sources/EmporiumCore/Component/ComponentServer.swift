public import Hummingbird
public import Logging
public import NIOCore
import ServiceLifecycle

/// The application type every component runs.
public typealias ComponentApplication = Application<RouterResponder<EmporiumRequestContext>>

/// Called once a component's server is listening, with the port it actually bound.
public typealias ServerStartedHandler = @Sendable (_ component: String, _ port: Int) async -> Void

/// What every component's HTTP server shares: middleware, health routes, binding and logging.
///
/// Every component's `build…` has the same shape: it opens its database
/// (``ServiceDatabase/open(_:migrations:logger:prepare:)``), makes its messaging and its clients,
/// builds its router with ``makeRouter(readiness:authentication:metricsFromLoopbackOnly:)`` and
/// its route table, and returns ``makeApplication(router:services:onStarted:)``.
public struct ComponentServer: Sendable {
    /// The component's name (`product`, `gateway`, `idp`…), used in logs and health reports.
    public let component: String
    /// Where it listens and its request limits.
    public let settings: HTTPServerSettings
    /// The component's logger, labelled with its name.
    public let logger: Logger
    /// What its router declares, filled by ``makeApplication(router:services:onStarted:)``.
    public let routes = DeclaredRoutes()
    /// Its tracer, and the exporter of its spans when they are exported.
    public let tracing: ComponentTracing

    /// The tracer its server, clients, database and messaging start their spans with.
    public var tracer: ComponentTracer { tracing.tracer }

    /// Describes a component's server.
    /// - Parameter tracing: Its tracing; by default made from `settings.tracing`.
    /// - Throws: When the tracing settings name an exporter that cannot be made.
    public init(component: String, settings: HTTPServerSettings, logger: Logger? = nil, tracing: ComponentTracing? = nil) throws {
        self.component = component
        self.settings = settings
        var logger = logger ?? Logger(label: "emporium.\(component)")
        logger[metadataKey: "component"] = "\(component)"
        if let instance = settings.instanceID { logger[metadataKey: "instance"] = "\(instance)" }
        self.logger = logger
        self.tracing =
            try tracing
            ?? ComponentTracing(
                component: component, instance: settings.instanceID ?? HTTPServerSettings.defaultInstanceID, settings: settings.tracing,
                logger: logger
            )
    }

    /// A router with request metadata, request metrics, problem mapping, 405s, body limits, and
    /// the health, metrics and route-list routes in place.
    ///
    /// Middleware is added before any route, because Hummingbird applies it only to routes added later.
    /// - Parameters:
    ///   - readiness: What `/health/ready` checks.
    ///   - authentication: Checks the access token of every route added afterwards, which then
    ///     sees the verified ``Principal`` in its context; the health and metrics routes stay open
    ///     to probes.
    ///   - metricsFromLoopbackOnly: Whether `/metrics` answers only clients on this machine (the
    ///     public gateway's); elsewhere it answers whoever reaches the component's port.
    ///   - uploads: Routes that take larger bodies than `http.max-body-bytes`.
    public func makeRouter(
        readiness: [any ReadinessCheck],
        authentication: AccessTokenVerifier? = nil,
        metricsFromLoopbackOnly: Bool = false,
        uploads: [UploadRoute] = []
    ) -> Router<EmporiumRequestContext> {
        let router = Router(context: EmporiumRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: RequestMetadataMiddleware(tracer: tracer))
        router.add(middleware: RequestMetricsMiddleware(component: component))
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: MethodNotAllowedMiddleware(routes: routes))
        router.add(middleware: RequestLimitsMiddleware(maxRequestBodyBytes: settings.maxRequestBodyBytes, uploads: uploads))
        router.addHealthRoutes(component: component, instance: settings.instanceID, checks: readiness)
        router.addMetricsRoute(loopbackOnly: metricsFromLoopbackOnly)
        router.addRouteList(routes, component: component, loopbackOnly: metricsFromLoopbackOnly)
        if let authentication { router.add(middleware: AuthenticationMiddleware(verifier: authentication)) }
        return router
    }

    /// The application serving `router`, running `services` alongside it.
    /// - Parameters:
    ///   - router: The component's complete router.
    ///   - services: What lives and stops with the server, in ``ComponentServices``' one order;
    ///     all of it shuts down after the server has stopped taking requests, and the span
    ///     exporter after all of it, so that the last spans are sent.
    ///   - onStarted: Told the bound port once the server listens.
    ///   - connectionHandlers: Makes, for each new connection, handlers that see its requests
    ///     before the router does and may answer some themselves (the gateway's fast path).
    public func makeApplication(
        router: Router<EmporiumRequestContext>,
        services: ComponentServices = ComponentServices(),
        onStarted: ServerStartedHandler? = nil,
        connectionHandlers: @escaping @Sendable () -> [any RemovableChannelHandler] = { [] }
    ) -> ComponentApplication {
        let component = self.component
        routes.record(router)
        return Application(
            router: router,
            server: .http1(configuration: .init(additionalChannelHandlers: connectionHandlers())),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: nil),
            services: (tracing.exporter.map { [$0] } ?? []) + services.inStartOrder,
            onServerRunning: { channel in
                await onStarted?(component, channel.localAddress?.port ?? 0)
            },
            logger: logger
        )
    }
}
