public import Configuration
import EmporiumCore

/// Faults a simulator adds on purpose, as its real counterpart would have them: a delay before
/// every answer, occasional much longer delays (spikes), and a share of calls that fail before
/// doing anything.
///
/// Configuration keys, under the simulator's scope: `latency-ms` (int, default 0), `error-rate`
/// (number from 0 to 1, default 0), `spike-rate` (number from 0 to 1, default 0: the share of
/// calls delayed by `spike-ms` more) and `spike-ms` (int, default 2000).
public struct InjectedFaults: Sendable, Equatable {
    /// Added before every answer.
    public var latency: Duration
    /// The share of calls that fail.
    public var errorRate: Double
    /// The share of calls that wait ``spikeLatency`` on top of ``latency``.
    public var spikeRate: Double
    /// The extra delay of a spike.
    public var spikeLatency: Duration

    /// No faults.
    public static let none = InjectedFaults(latency: .zero, errorRate: 0)

    /// Creates faults from values.
    public init(latency: Duration = .zero, errorRate: Double = 0, spikeRate: Double = 0, spikeLatency: Duration = .seconds(2)) {
        self.latency = latency
        self.errorRate = errorRate
        self.spikeRate = spikeRate
        self.spikeLatency = spikeLatency
    }

    /// Reads the faults from a simulator-scoped configuration.
    public init(config: ConfigReader, scope: String) throws {
        self.init(
            latency: .milliseconds(try config.requiredPositiveOrZeroInt("latency-ms", scope: scope, default: 0)),
            errorRate: try config.requiredShare("error-rate", scope: scope, default: 0),
            spikeRate: try config.requiredShare("spike-rate", scope: scope, default: 0),
            spikeLatency: .milliseconds(try config.requiredPositiveOrZeroInt("spike-ms", scope: scope, default: 2000))
        )
    }

    /// The delay one call waits: the latency, plus a spike for a ``spikeRate`` share of calls.
    public func drawDelay() -> Duration {
        spikeRate > 0 && Double.random(in: 0..<1) < spikeRate ? latency + spikeLatency : latency
    }

    /// Waits the call's delay (``drawDelay()``), then tells whether this call is one that fails.
    public func delayThenDrawFailure() async throws -> Bool {
        let delay = drawDelay()
        if delay > .zero { try await Task.sleep(for: delay) }
        return errorRate > 0 && Double.random(in: 0..<1) < errorRate
    }
}
