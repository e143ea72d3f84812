public import Configuration
import Foundation

/// Where a component listens and how much it accepts.
///
/// Configuration keys, under the component's scope (`product.http.port` ↔ `PRODUCT_HTTP_PORT`):
/// - `http.host` (string, default `127.0.0.1`): the address to bind.
/// - `http.port` (int, default per component; `0` picks a free port): the port to bind.
/// - `http.max-body-bytes` (int, default 1048576): the largest request body accepted.
/// - `instance-id` (string, default `<host name>-<process id>`): which instance of the component
///   this process is, in every log line and health report (`order-1` in `scripts/cluster`).
///
/// Whether its spans are exported comes from OpenTelemetry's standard `OTEL_*` variables
/// (``TracingSettings``), the same for every component of a process.
public struct HTTPServerSettings: Sendable, Equatable {
    /// The default body-size limit: 1 MiB, far above any JSON this API takes.
    public static let defaultMaxRequestBodyBytes = 1_048_576

    /// The address to bind.
    public var host: String
    /// The port to bind; 0 asks the system for a free one.
    public var port: Int
    /// The largest request body accepted, in bytes.
    public var maxRequestBodyBytes: Int
    /// Which instance of its component this process is; nil in the embedded platform, where each
    /// component has exactly one.
    public var instanceID: String?
    /// Whether and where its spans are exported.
    public var tracing: TracingSettings

    /// Creates settings from values.
    public init(
        host: String = "127.0.0.1", port: Int, maxRequestBodyBytes: Int = Self.defaultMaxRequestBodyBytes, instanceID: String? = nil,
        tracing: TracingSettings = .off
    ) {
        self.host = host
        self.port = port
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.instanceID = instanceID
        self.tracing = tracing
    }

    /// The instance id of a process that was given none: its host name and process id.
    public static var defaultInstanceID: String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// Reads the settings from a component-scoped configuration.
    /// - Parameters:
    ///   - config: The configuration, scoped to the component.
    ///   - scope: The scope's name, so that an error names the whole key (`order.http.port`).
    ///   - defaultPort: The component's port when none is configured.
    public init(config: ConfigReader, scope: String, defaultPort: Int) throws {
        self.init(
            host: config.string(forKey: "http.host", default: "127.0.0.1"),
            port: try config.requiredPositiveOrZeroInt("http.port", scope: scope, default: defaultPort),
            maxRequestBodyBytes: try config.requiredPositiveOrZeroInt(
                "http.max-body-bytes",
                scope: scope,
                default: Self.defaultMaxRequestBodyBytes
            ),
            instanceID: config.string(forKey: "instance-id", default: Self.defaultInstanceID),
            tracing: .processDefault
        )
    }
}

/// A configuration value that is present but unusable; start-up stops with it rather than guess.
public struct InvalidConfiguration: Error, CustomStringConvertible {
    /// The key at fault.
    public var key: String
    /// What is wrong with it.
    public var reason: String

    /// Creates the error.
    public init(key: String, reason: String) {
        self.key = key
        self.reason = reason
    }

    /// A sentence for the operator.
    public var description: String { "Invalid configuration for \(key): \(reason)" }
}

extension ConfigReader {
    /// Reads an integer that must not be negative, failing loudly on a value that is not one.
    ///
    /// `ConfigReader.int(forKey:default:)` quietly falls back to the default when a value does not
    /// parse; a mistyped port should stop start-up instead.
    /// - Parameters:
    ///   - key: The key, relative to this reader.
    ///   - scope: The scope this reader was made for, if any, to name the whole key in an error.
    ///   - defaultValue: The value when the key is absent.
    public func requiredPositiveOrZeroInt(_ key: String, scope: String? = nil, default defaultValue: Int) throws -> Int {
        guard let text = string(forKey: ConfigKey(key)) else {
            return int(forKey: ConfigKey(key), default: defaultValue)
        }
        guard let value = Int(text), value >= 0 else {
            let fullKey = scope.map { "\($0).\(key)" } ?? key
            throw InvalidConfiguration(key: fullKey, reason: "expected a whole number ≥ 0, got \"\(text)\"")
        }
        return value
    }

    /// Reads a share (a number from 0 to 1), failing loudly on a value that is not one.
    /// - Parameters:
    ///   - key: The key, relative to this reader.
    ///   - scope: The scope this reader was made for, if any, to name the whole key in an error.
    ///   - defaultValue: The value when the key is absent.
    public func requiredShare(_ key: String, scope: String? = nil, default defaultValue: Double) throws -> Double {
        let value: Double
        if let text = string(forKey: ConfigKey(key)) {
            value = Double(text) ?? .nan
        } else {
            value = double(forKey: ConfigKey(key), default: defaultValue)
        }
        guard (0...1).contains(value) else {
            let fullKey = scope.map { "\($0).\(key)" } ?? key
            throw InvalidConfiguration(
                key: fullKey, reason: "expected a number from 0 to 1, got \"\(string(forKey: ConfigKey(key)) ?? String(value))\"")
        }
        return value
    }
}
