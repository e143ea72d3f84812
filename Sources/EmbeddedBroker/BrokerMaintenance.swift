import EmporiumCore
import Logging
import ServiceLifecycle

/// Compacts the embedded broker's log now and then, and closes its database at shutdown.
struct BrokerMaintenance: Service {
    let broker: EmbeddedBroker
    var interval: Duration = .seconds(600)

    func run() async throws {
        await BackgroundLoop(
            name: "Broker log compaction", backoff: RetryPolicy(maxAttempts: .max, baseDelay: interval, maxDelay: interval), logger: broker.logger
        )
        .run(failureNote: "it is retried later") {
            let removed = try await broker.compact()
            if removed > 0 { broker.logger.info("Compacted the broker log", metadata: ["removed": "\(removed)"]) }
            return .sleep(interval)
        }
        await broker.close()
    }
}
