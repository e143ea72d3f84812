public import Configuration

/// Faults a simulator adds on purpose, as its real counterpart would have them: a delay before
/// every answer, and a share of calls that fail before doing anything.
///
/// Configuration keys, under the simulator's scope: `latency-ms` (int, default 0) and
/// `error-rate` (number from 0 to 1, default 0).
public struct InjectedFaults: Sendable, Equatable {
    /// Added before every answer.
    public var latency: Duration
    /// The share of calls that fail.
    public var errorRate: Double

    /// No faults.
    public static let none = InjectedFaults(latency: .zero, errorRate: 0)

    /// Creates faults from values.
    public init(latency: Duration = .zero, errorRate: Double = 0) {
        self.latency = latency
        self.errorRate = errorRate
    }

    /// Reads the faults from a simulator-scoped configuration.
    public init(config: ConfigReader, scope: String) throws {
        let rate = config.double(forKey: "error-rate", default: 0)
        guard (0...1).contains(rate) else { throw InvalidConfiguration(key: "\(scope).error-rate", reason: "expected a number from 0 to 1, got \(rate)") }
        self.init(latency: .milliseconds(try config.requiredPositiveOrZeroInt("latency-ms", scope: scope, default: 0)), errorRate: rate)
    }

    /// Waits the latency, then tells whether this call is one that fails.
    public func delayThenDrawFailure() async throws -> Bool {
        if latency > .zero { try await Task.sleep(for: latency) }
        return errorRate > 0 && Double.random(in: 0..<1) < errorRate
    }
}

extension ConfigReader {
    /// The `database.url` of a scoped configuration, which must be present and valid.
    public func requiredDatabase(scope: String) throws -> DatabaseLocation {
        guard let url = string(forKey: "database.url") else {
            throw InvalidConfiguration(key: "\(scope).database.url", reason: "a database URL is required")
        }
        return try DatabaseLocation(url: url, key: "\(scope).database.url")
    }
}
