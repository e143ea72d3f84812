public import Configuration
public import Contracts
public import EmporiumCore

/// The gateway's settings.
///
/// Configuration keys, under the `gateway` scope (`gateway.upstream.product.url` ↔ `GATEWAY_UPSTREAM_PRODUCT_URL`):
/// - `http.*`: see ``HTTPServerSettings`` (default port 8080).
/// - `upstream.<component>.url` (string, default `http://127.0.0.1:<component's default port>`):
///   the base URL of `user`, `product`, `order`, `payment`, `notification`, `storefront`,
///   `console` and `idp`; several instances as a comma-separated list.
/// - `upstream.health-check-ms` (int, default 2000): how often each instance's `/health/live` is asked.
/// - `upstream.timeout-ms` (int, default 10000): how long an upstream may take to answer.
/// - `auth.*`: see ``AuthSettings`` (`gateway.auth.issuer-url` is required).
/// - `rate-limit.*`: see ``RateLimitSettings``.
/// - `fast-path` (bool, default true): whether requests that can be forwarded on the event loop
///   that received them are (ADR 36); false sends every request through the router, as a
///   benchmark's baseline does.
public struct GatewaySettings: Sendable {
    /// Where the gateway listens.
    public var server: HTTPServerSettings
    /// How long an upstream may take to send its response head.
    public var upstreamTimeout: Duration
    /// The base URLs of each upstream's instances, known up front (the embedded mode registers them as they bind).
    public var upstreamURLs: [Component: [String]]
    /// How often each instance's liveness is checked.
    public var healthCheckInterval: Duration
    /// The components whose readiness `/health/ready` reports.
    public var readinessTargets: [Component]
    /// How access tokens are checked.
    public var auth: AuthSettings
    /// How many requests a client may send.
    public var rateLimits: RateLimitSettings
    /// Whether the fast path forwards what it can.
    public var fastPath: Bool

    /// Creates settings from values.
    public init(
        server: HTTPServerSettings,
        upstreamTimeout: Duration = .seconds(10),
        upstreamURLs: [Component: [String]] = [:],
        healthCheckInterval: Duration = .seconds(2),
        readinessTargets: [Component] = GatewaySettings.requiredForReadiness,
        auth: AuthSettings,
        rateLimits: RateLimitSettings = RateLimitSettings(),
        fastPath: Bool = true
    ) {
        self.server = server
        self.upstreamTimeout = upstreamTimeout
        self.upstreamURLs = upstreamURLs
        self.healthCheckInterval = healthCheckInterval
        self.readinessTargets = readinessTargets
        self.auth = auth
        self.rateLimits = rateLimits
        self.fastPath = fastPath
    }

    /// The components without which the shop is not ready: every one it routes to but the
    /// console, which is for operators (a shop serves its customers with no console running).
    public static let requiredForReadiness = GatewayRoute.routedComponents.filter { $0 != .console }

    /// Reads the settings from configuration scoped to `gateway`.
    public init(config: ConfigReader) throws {
        var urls: [Component: [String]] = [:]
        for component in GatewayRoute.routedComponents {
            urls[component] = try config.requiredBaseURLs(
                "upstream.\(component.configScope).url",
                scope: "gateway",
                default: "http://127.0.0.1:\(component.defaultPort)"
            )
        }
        let healthCheck = try config.requiredPositiveOrZeroInt("upstream.health-check-ms", scope: "gateway", default: 2_000)
        let timeout = try config.requiredPositiveOrZeroInt("upstream.timeout-ms", scope: "gateway", default: 10_000)
        self.init(
            server: try HTTPServerSettings(config: config, scope: Component.gateway.configScope, defaultPort: Component.gateway.defaultPort),
            upstreamTimeout: .milliseconds(max(timeout, 1)),
            upstreamURLs: urls,
            healthCheckInterval: .milliseconds(max(healthCheck, 100)),
            auth: try AuthSettings(config: config, scope: "gateway"),
            rateLimits: RateLimitSettings(
                requestsPerSecond: config.double(forKey: "rate-limit.requests-per-second", default: 50),
                burst: try config.requiredPositiveOrZeroInt("rate-limit.burst", scope: "gateway", default: 100),
                tokenRequestsPerMinute: config.double(forKey: "rate-limit.token-requests-per-minute", default: 20),
                tokenBurst: try config.requiredPositiveOrZeroInt("rate-limit.token-burst", scope: "gateway", default: 10)
            ),
            fastPath: config.bool(forKey: "fast-path", default: true)
        )
    }
}
