public import Configuration
public import Contracts

/// The settings every database-owning service shares.
///
/// Configuration keys, under the service's scope (`product.database.url` ↔ `PRODUCT_DATABASE_URL`):
/// - `http.*`: see ``HTTPServerSettings``.
/// - `database.url` (string, required): see ``DatabaseLocation`` for the forms.
/// - `demo.enabled` (bool, default false): seed demonstration data into an empty database.
/// - `auth.*`: see ``AuthSettings`` (`<service>.auth.issuer-url` is required).
/// - `broker.url` (string, optional; `emporium serve` only, the embedded mode has its own broker):
///   the NATS JetStream server; without one, events wait in the outbox.
public struct ServiceSettings: Sendable {
    /// Where the service listens.
    public var server: HTTPServerSettings
    /// The service's own database.
    public var database: DatabaseLocation
    /// Whether to seed demonstration data on first start.
    public var seedDemoData: Bool
    /// How access tokens are checked.
    public var auth: AuthSettings
    /// The NATS JetStream server, in the distributed mode.
    public var brokerURL: String?

    /// Creates settings from values.
    public init(
        server: HTTPServerSettings, database: DatabaseLocation, seedDemoData: Bool = false, auth: AuthSettings = .unset, brokerURL: String? = nil
    ) {
        self.server = server
        self.database = database
        self.seedDemoData = seedDemoData
        self.auth = auth
        self.brokerURL = brokerURL
    }

    /// Reads the settings of `component` from configuration already scoped to it.
    public init(config: ConfigReader, component: Component) throws {
        self.init(
            server: try HTTPServerSettings(config: config, scope: component.configScope, defaultPort: component.defaultPort),
            database: try config.requiredDatabase(scope: component.configScope),
            seedDemoData: config.bool(forKey: "demo.enabled", default: false),
            auth: try AuthSettings(config: config, scope: component.configScope),
            brokerURL: config.string(forKey: "broker.url")
        )
    }
}
