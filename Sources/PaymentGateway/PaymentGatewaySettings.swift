public import Configuration
public import EmporiumCore

/// The payment-gateway simulator's settings.
///
/// Configuration keys, under the `payment-gateway` scope (`payment-gateway.secret-key` ↔ `PAYMENT_GATEWAY_SECRET_KEY`):
/// - `http.*`: see ``HTTPServerSettings`` (default port 8091).
/// - `database.url` (string, required): payment intents, refunds and idempotency keys.
/// - `secret-key` (string, required): the API key callers send as `Authorization: Bearer <key>`.
/// - `latency-ms` (int, default 0): added before every answer.
/// - `error-rate` (number from 0 to 1, default 0): the share of calls answered with a 500 `api_error`
///   before anything is done, as a flaky provider would.
public struct PaymentGatewaySettings: Sendable {
    /// Where it listens.
    public var server: HTTPServerSettings
    /// Its own database.
    public var database: DatabaseLocation
    /// The API key callers must present.
    public var secretKey: String
    /// Added before every answer.
    public var latency: Duration
    /// The share of calls that fail with a 500 before doing anything.
    public var errorRate: Double

    /// Creates settings from values.
    public init(server: HTTPServerSettings, database: DatabaseLocation, secretKey: String, latency: Duration = .zero, errorRate: Double = 0) {
        self.server = server
        self.database = database
        self.secretKey = secretKey
        self.latency = latency
        self.errorRate = errorRate
    }

    /// Reads the settings from configuration scoped to `payment-gateway`.
    public init(config: ConfigReader) throws {
        let scope = Component.paymentGateway.configScope
        guard let url = config.string(forKey: "database.url") else {
            throw InvalidConfiguration(key: "\(scope).database.url", reason: "a database URL is required")
        }
        guard let key = config.string(forKey: "secret-key"), !key.isEmpty else {
            throw InvalidConfiguration(key: "\(scope).secret-key", reason: "the API key callers must present is required")
        }
        let rate = config.double(forKey: "error-rate", default: 0)
        guard (0...1).contains(rate) else { throw InvalidConfiguration(key: "\(scope).error-rate", reason: "expected a number from 0 to 1, got \(rate)") }
        self.init(
            server: try HTTPServerSettings(config: config, scope: scope, defaultPort: Component.paymentGateway.defaultPort),
            database: try DatabaseLocation(url: url, key: "\(scope).database.url"),
            secretKey: key,
            latency: .milliseconds(try config.requiredPositiveOrZeroInt("latency-ms", scope: scope, default: 0)),
            errorRate: rate
        )
    }
}
