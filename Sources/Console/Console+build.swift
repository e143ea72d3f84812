import Contracts
public import EmporiumCore
import Foundation
public import Hummingbird
public import Logging
import WebSupport

/// Builds the console: the seed's diagram of the platform drawn live from its traffic, for
/// admins, under `/console` through the gateway.
///
/// - Routes: ``ConsoleRoutes``.
/// - Watches, every second: each instance's `/health/ready`, and the metrics of every process
///   (``TrafficWatcher``), keeping an hour of it (``TrafficHistory``).
/// - Receives: OTLP/HTTP trace exports at `POST /v1/traces` (``TraceReceiver``), kept in memory
///   (``TraceStore``) for the trace pages.
/// - Calls: the identity provider's discovery, token endpoint (code and refresh grants) and keys,
///   to sign admins in; the gateway's admin API as the signed-in admin (dead letters).
/// - Publishes and consumes no events; keeps no database (sessions are sealed cookies).
///
/// Configuration: ``ConsoleSettings`` under the `console` scope.
/// - Parameters:
///   - settings: Where it listens, what it watches, the provider and the session secret.
///   - logger: The base logger.
///   - onStarted: Told the bound port once the server listens.
public func buildConsole(
    settings: ConsoleSettings,
    logger: Logger? = nil,
    onStarted: ServerStartedHandler? = nil
) async throws -> ComponentApplication {
    // The console traces nothing itself: it is the collector, and the spans of its receiver
    // would be exported back to it, one more each time.
    let server = try ComponentServer(
        component: Component.console.rawValue, settings: settings.server, logger: logger, tracing: .propagationOnly)
    let renderer = try await PageRenderer.load(from: .module)
    let assets = try StaticAssets.load(from: .module)
    let http = OutboundHTTPClient(for: server, timeout: .seconds(10))
    let provider = IdentityProviderClient(
        auth: settings.auth, credentials: settings.client, http: http, verifier: settings.auth.makeVerifier(client: http, logger: server.logger))
    let publicURL = settings.publicURL
    let secure = { publicURL()?.hasPrefix("https://") ?? false }()
    let access = ConsoleAccess(
        sessions: SealedCookie(name: "emporium-console", path: "/console", secret: settings.sessionSecret, secure: secure), renderer: renderer)
    let history = TrafficHistory()
    let targets = settings.targets
    let watcher = TrafficWatcher(targets: settings.targets, client: http, history: history, interval: settings.watchInterval, logger: server.logger)

    let traces = TraceStore(maximumSpans: settings.maximumSpans)
    let router = server.makeRouter(
        readiness: [], uploads: [UploadRoute(method: .post, path: TraceReceiver.path, maxBodyBytes: TraceReceiver.maximumBodyBytes)])
    router.add(middleware: SecurityHeaders())
    ConsoleRoutes(
        pages: ConsolePages(
            access: access, history: history, renderer: renderer,
            faults: FaultControl(keys: settings.faultKeys, targets: settings.targets, client: http), publicURL: publicURL),
        signIn: ConsoleSignIn(
            provider: provider, access: access,
            pending: SealedCookie(name: "emporium-console-signin", path: "/console/session", secret: settings.sessionSecret, secure: secure),
            renderer: renderer, publicURL: publicURL),
        traces: TracePages(access: access, store: traces, renderer: renderer),
        deadLetters: DeadLetterPages(
            access: access, api: AdminAPI(client: http, provider: provider, gateway: { targets.instances()[Component.gateway.rawValue]?.first }),
            renderer: renderer, publicURL: publicURL),
        receiver: TraceReceiver(store: traces, ingestKey: settings.tracesIngestKey),
        assets: assets
    ).register(on: router)
    return server.makeApplication(router: router, services: ComponentServices(clients: [http], duties: [watcher]), onStarted: onStarted)
}
