public import Configuration
import Contracts
public import EmporiumCore
public import SimulatorSupport

/// The shipping-API simulator's settings.
///
/// Configuration keys, under the `shipping` scope (`shipping.api-key` ↔ `SHIPPING_API_KEY`):
/// - `http.*`: see ``HTTPServerSettings`` (default port 8093).
/// - `database.url` (string, required): the shipments created.
/// - `api-key` (string, required): what callers send as `Authorization: Bearer <key>`.
/// - `latency-ms`, `spike-rate`, `spike-ms`, `error-rate`: see ``InjectedFaults``; a failing call is a 503.
/// - `label-latency-ms` (int, default 0): added to creating a shipment only, as a carrier takes
///   longer to print a label than to quote a rate; it leaves a paid order a while to be cancelled in.
/// - `operator-key` (string, optional): lets an operator who presents it change the faults at run
///   time (``FaultRoutes``, `PUT /simulator/faults`); without it they stay as configured.
public struct ShippingAPISettings: Sendable {
    /// Where it listens.
    public var server: HTTPServerSettings
    /// Its own database.
    public var database: DatabaseLocation
    /// The key callers must present.
    public var apiKey: String
    /// Delay and failures added on purpose.
    public var faults: InjectedFaults
    /// Added to every shipment's creation, after ``faults``.
    public var labelLatency: Duration
    /// The key that lets an operator change the faults at run time; nil: they cannot be changed.
    public var operatorKey: String?

    /// Creates settings from values.
    public init(
        server: HTTPServerSettings, database: DatabaseLocation, apiKey: String, faults: InjectedFaults = .none, labelLatency: Duration = .zero,
        operatorKey: String? = nil
    ) {
        self.server = server
        self.database = database
        self.apiKey = apiKey
        self.faults = faults
        self.labelLatency = labelLatency
        self.operatorKey = operatorKey
    }

    /// Reads the settings from configuration scoped to `shipping`.
    public init(config: ConfigReader) throws {
        let scope = Component.shipping.configScope
        guard let key = config.string(forKey: "api-key"), !key.isEmpty else {
            throw InvalidConfiguration(key: "\(scope).api-key", reason: "the key callers must present is required")
        }
        self.init(
            server: try HTTPServerSettings(config: config, scope: scope, defaultPort: Component.shipping.defaultPort),
            database: try config.requiredDatabase(scope: scope),
            apiKey: key,
            faults: try InjectedFaults(config: config, scope: scope),
            labelLatency: .milliseconds(try config.requiredPositiveOrZeroInt("label-latency-ms", scope: scope, default: 0)),
            operatorKey: config.string(forKey: "operator-key", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        )
    }
}
