public import Configuration
public import EmporiumCore

/// The shipping-API simulator's settings.
///
/// Configuration keys, under the `shipping` scope (`shipping.api-key` ↔ `SHIPPING_API_KEY`):
/// - `http.*`: see ``HTTPServerSettings`` (default port 8093).
/// - `database.url` (string, required): the shipments created.
/// - `api-key` (string, required): what callers send as `Authorization: Bearer <key>`.
/// - `latency-ms` (int, default 0) and `error-rate` (0 to 1, default 0): injected delay and 503s.
public struct ShippingAPISettings: Sendable {
    /// Where it listens.
    public var server: HTTPServerSettings
    /// Its own database.
    public var database: DatabaseLocation
    /// The key callers must present.
    public var apiKey: String
    /// Added before every answer.
    public var latency: Duration
    /// The share of calls answered with a 503 before anything is done.
    public var errorRate: Double

    /// Creates settings from values.
    public init(server: HTTPServerSettings, database: DatabaseLocation, apiKey: String, latency: Duration = .zero, errorRate: Double = 0) {
        self.server = server
        self.database = database
        self.apiKey = apiKey
        self.latency = latency
        self.errorRate = errorRate
    }

    /// Reads the settings from configuration scoped to `shipping`.
    public init(config: ConfigReader) throws {
        let scope = Component.shipping.configScope
        guard let url = config.string(forKey: "database.url") else {
            throw InvalidConfiguration(key: "\(scope).database.url", reason: "a database URL is required")
        }
        guard let key = config.string(forKey: "api-key"), !key.isEmpty else {
            throw InvalidConfiguration(key: "\(scope).api-key", reason: "the key callers must present is required")
        }
        let rate = config.double(forKey: "error-rate", default: 0)
        guard (0...1).contains(rate) else { throw InvalidConfiguration(key: "\(scope).error-rate", reason: "expected a number from 0 to 1, got \(rate)") }
        self.init(
            server: try HTTPServerSettings(config: config, scope: scope, defaultPort: Component.shipping.defaultPort),
            database: try DatabaseLocation(url: url, key: "\(scope).database.url"),
            apiKey: key,
            latency: .milliseconds(try config.requiredPositiveOrZeroInt("latency-ms", scope: scope, default: 0)),
            errorRate: rate
        )
    }
}
