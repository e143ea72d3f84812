public import Configuration
import Contracts
public import EmporiumCore
public import SimulatorSupport

/// The payment-gateway simulator's settings.
///
/// Configuration keys, under the `payment-gateway` scope (`payment-gateway.secret-key` ↔ `PAYMENT_GATEWAY_SECRET_KEY`):
/// - `http.*`: see ``HTTPServerSettings`` (default port 8091).
/// - `database.url` (string, required): payment intents, refunds and idempotency keys.
/// - `secret-key` (string, required): the API key callers send as `Authorization: Bearer <key>`.
/// - `latency-ms`, `spike-rate`, `spike-ms`, `error-rate`: see ``InjectedFaults``; a failing call is a 500 `api_error`,
///   answered before anything is done, as a flaky provider's would be.
/// - `operator-key` (string, optional): lets an operator who presents it change those faults at run
///   time (``FaultRoutes``, `PUT /simulator/faults`); without it they stay as configured.
public struct PaymentGatewaySettings: Sendable {
    /// Where it listens.
    public var server: HTTPServerSettings
    /// Its own database.
    public var database: DatabaseLocation
    /// The API key callers must present.
    public var secretKey: String
    /// Delay and failures added on purpose, as it starts.
    public var faults: InjectedFaults
    /// The key that lets an operator change the faults at run time; nil: they cannot be changed.
    public var operatorKey: String?

    /// Creates settings from values.
    public init(
        server: HTTPServerSettings, database: DatabaseLocation, secretKey: String, faults: InjectedFaults = .none, operatorKey: String? = nil
    ) {
        self.server = server
        self.database = database
        self.secretKey = secretKey
        self.faults = faults
        self.operatorKey = operatorKey
    }

    /// Reads the settings from configuration scoped to `payment-gateway`.
    public init(config: ConfigReader) throws {
        let scope = Component.paymentGateway.configScope
        guard let key = config.string(forKey: "secret-key"), !key.isEmpty else {
            throw InvalidConfiguration(key: "\(scope).secret-key", reason: "the API key callers must present is required")
        }
        self.init(
            server: try HTTPServerSettings(config: config, scope: scope, defaultPort: Component.paymentGateway.defaultPort),
            database: try config.requiredDatabase(scope: scope),
            secretKey: key,
            faults: try InjectedFaults(config: config, scope: scope),
            operatorKey: config.string(forKey: "operator-key", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        )
    }
}
