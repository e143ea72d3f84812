public import Logging
public import ServiceLifecycle

/// A background duty of a service — ship paid orders, expire unpaid ones, refund cancelled
/// payments — run as a `Service`: a pass whenever its doorbell rings (after a commit that made
/// work) and at least every `interval`, so that work left by a crash or a failure is picked up.
///
/// A pass that throws is logged and retried after a backoff; the loop never gives up, because the
/// work it does (a shipment, a refund) must not be lost.
public struct WakeableLoop: Service {
    /// The duty's name, in logs.
    public let name: String
    /// Rung when there may be work.
    public let doorbell: Doorbell
    let interval: Duration
    let pass: @Sendable () async throws -> Bool
    let logger: Logger

    /// Creates the loop.
    /// - Parameters:
    ///   - name: The duty's name.
    ///   - doorbell: Rung (usually after a commit) when there may be work.
    ///   - interval: The longest wait between passes.
    ///   - logger: Where failures are logged.
    ///   - pass: Does some of the work; returns true when more may be waiting, so that the next
    ///     pass starts at once.
    public init(
        name: String,
        doorbell: Doorbell = Doorbell(),
        interval: Duration,
        logger: Logger,
        pass: @escaping @Sendable () async throws -> Bool
    ) {
        self.name = name
        self.doorbell = doorbell
        self.interval = interval
        self.pass = pass
        var logger = logger
        logger[metadataKey: "duty"] = "\(name)"
        self.logger = logger
    }

    /// Runs passes until graceful shutdown; the pass in hand is finished first.
    public func run() async throws {
        await BackgroundLoop(name: "Background duty \(name)", logger: logger).run {
            try await pass() ? .again : .wait(doorbell, upTo: interval)
        }
    }
}
