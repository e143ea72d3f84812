import EmporiumCore
import Logging
import ServiceLifecycle

/// Compacts the embedded broker's log now and then, and closes its database at shutdown.
struct BrokerMaintenance: Service {
    let broker: EmbeddedBroker
    var interval: Duration = .seconds(600)

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let removed = try await broker.compact()
                if removed > 0 { broker.logger.info("Compacted the broker log", metadata: ["removed": "\(removed)"]) }
            } catch {
                broker.logger.warning("Broker log compaction failed; it is retried later", metadata: ["error": "\(error)"])
            }
            // Until the next round, or graceful shutdown, whichever is first.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
        await broker.close()
    }
}
