public import Configuration
public import Contracts
public import EmporiumCore

/// What the console watches: the instances of each component, and where their metrics are read.
public struct ConsoleTargets: Sendable {
    /// Where the platform's metrics come from.
    public enum MetricsScope: Sendable, Equatable {
        /// Every instance's own `/metrics` (the distributed mode: a process per instance).
        case eachInstance
        /// This process's registry, which every component shares (the embedded mode).
        case thisProcess
    }

    /// Each component's instances (`order` → their base URLs), asked again at every look, so
    /// that the embedded platform's components appear as they bind.
    public var instances: @Sendable () -> [String: [String]]
    /// Where the metrics come from.
    public var metrics: MetricsScope

    /// Creates targets.
    public init(metrics: MetricsScope, instances: @escaping @Sendable () -> [String: [String]]) {
        self.metrics = metrics
        self.instances = instances
    }

    /// The components the console watches: every one, itself included (its instances' health).
    public static let watched = Component.allCases
}

/// The console's settings.
///
/// Configuration keys, under the `console` scope (`console.order.url` ↔ `CONSOLE_ORDER_URL`):
/// - `http.*`: see ``HTTPServerSettings`` (default port 8087).
/// - `<component>.url` (string, default `http://127.0.0.1:<component's default port>`): the
///   base URL of each instance of `gateway`, `user`, `product`, `order`, `payment`,
///   `notification`, `storefront`, `console` (its own), `idp`, `payment-gateway`, `email` and
///   `shipping`, separated by commas; each one's `/health/ready` and `/metrics` are read every
///   second. Empty: the component is not watched (its node shows no health).
/// - `watch-interval-ms` (int, default 1000, at least 100): how often it looks.
/// - `faults.payment-gateway.key`, `faults.email.key`, `faults.shipping.key` (string, optional): the simulators'
///   operator keys (their `operator-key`), with which admins change their injected faults from the
///   console; without one, that simulator's faults are not offered.
/// - `traces.max-spans` (int, default 20000, at least 100): how many received spans it keeps;
///   past it the oldest traces go whole.
/// - `traces.ingest-key` (string, optional; the embedded mode makes one): the bearer token every
///   export to its OTLP receiver (`POST /v1/traces`) must carry; without one it takes exports
///   from whoever reaches its port.
/// - `public-url` (string, default `http://127.0.0.1:8080`): the gateway's address in browsers,
///   where the sign-in comes back to (`…/console/session/callback`).
/// - `session-secret` (string, at least 32 characters, required in `serve`; the embedded mode
///   makes one): seals the session cookie, so every instance must have the same.
/// - `auth.*`: see ``AuthSettings`` (`console.auth.issuer-url` is required): the identity provider
///   admins sign in at.
/// - `idp.client-secret` (string, required in `serve`; the embedded mode shares one with its
///   provider): the console's secret as the provider's confidential client `console`.
public struct ConsoleSettings: Sendable {
    /// Where it listens.
    public var server: HTTPServerSettings
    /// What it watches.
    public var targets: ConsoleTargets
    /// How often it looks: the diagram is at most this behind the traffic.
    public var watchInterval: Duration
    /// The gateway's address in browsers; nil while the embedded gateway has not bound.
    public var publicURL: @Sendable () -> String?
    /// The key that seals session cookies.
    public var sessionSecret: String
    /// The identity provider admins sign in at.
    public var auth: AuthSettings
    /// The console's credentials at the provider.
    public var client: ClientCredentials
    /// The operator keys of the simulators whose faults it may change, by simulator.
    public var faultKeys: [Component: String]
    /// How many received spans it keeps.
    public var maximumSpans = 20_000
    /// The bearer token its OTLP receiver asks of every export; nil asks none.
    public var tracesIngestKey: String?

    /// The console's client id at the identity provider.
    public static let clientID = "console"

    /// Creates settings from values.
    public init(
        server: HTTPServerSettings, targets: ConsoleTargets, watchInterval: Duration = .seconds(1),
        publicURL: @escaping @Sendable () -> String?, sessionSecret: String, auth: AuthSettings, client: ClientCredentials,
        faultKeys: [Component: String] = [:]
    ) {
        self.faultKeys = faultKeys
        self.server = server
        self.targets = targets
        self.watchInterval = watchInterval
        self.publicURL = publicURL
        self.sessionSecret = sessionSecret
        self.auth = auth
        self.client = client
    }

    /// Reads the settings from configuration scoped to `console`.
    public init(config: ConfigReader) throws {
        let scope = Component.console.configScope
        var instances: [String: [String]] = [:]
        for component in ConsoleTargets.watched {
            let key = "\(component.configScope).url"
            // Empty: the component has no process to watch (the cluster's mail goes to files).
            if config.string(forKey: ConfigKey(key)) == "" { continue }
            instances[component.rawValue] = try config.requiredBaseURLs(key, scope: scope, default: "http://127.0.0.1:\(component.defaultPort)")
        }
        guard let secret = config.string(forKey: "session-secret", isSecret: true), secret.utf8.count >= 32 else {
            throw InvalidConfiguration(key: "\(scope).session-secret", reason: "a secret of at least 32 characters is required to seal sessions")
        }
        guard let clientSecret = config.string(forKey: "idp.client-secret", isSecret: true) else {
            throw InvalidConfiguration(key: "\(scope).idp.client-secret", reason: "the console's secret at the identity provider is required")
        }
        let publicURL = try config.requiredBaseURLs("public-url", scope: scope, default: "http://127.0.0.1:\(Component.gateway.defaultPort)")[0]
        let watched = instances
        let interval = try config.requiredPositiveOrZeroInt("watch-interval-ms", scope: scope, default: 1000)
        var faultKeys: [Component: String] = [:]
        for simulator in Component.faultInjectable {
            if let key = config.string(forKey: ConfigKey("faults.\(simulator.configScope).key"), isSecret: true), !key.isEmpty {
                faultKeys[simulator] = key
            }
        }
        self.init(
            server: try HTTPServerSettings(config: config, scope: scope, defaultPort: Component.console.defaultPort),
            targets: ConsoleTargets(metrics: .eachInstance) { watched },
            watchInterval: .milliseconds(max(100, interval)),
            publicURL: { publicURL },
            sessionSecret: secret,
            auth: try AuthSettings(config: config, scope: scope),
            client: ClientCredentials(clientID: Self.clientID, secret: clientSecret),
            faultKeys: faultKeys
        )
        maximumSpans = max(100, try config.requiredPositiveOrZeroInt("traces.max-spans", scope: scope, default: 20_000))
        tracesIngestKey = config.string(forKey: "traces.ingest-key", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The URL components export their spans to when this console is their collector.
    public var tracesEndpoint: String { "http://\(server.host):\(server.port)\(TraceReceiver.path)" }
}
