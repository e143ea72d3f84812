import ArgumentParser
import Contracts
import EmbeddedBroker
import EmporiumCore
import FluentKit
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

#if NATS
    import NATSBroker
#endif

/// `emporium-bench events`: events per second and publish-to-handled latency through the real
/// outbox, relay, broker and inbox, for one broker.
struct EventsBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Measure events/s and publish-to-handled latency through outbox → broker → inbox."
    )

    enum BrokerKind: String, ExpressibleByArgument {
        case embedded, nats
    }

    @Option(help: "The broker: embedded or nats.") var broker: BrokerKind = .embedded
    @Option(help: "The NATS server, for --broker nats.") var natsURL = "nats://127.0.0.1:4222"
    @Option(help: "Events in the throughput run.") var events = 20_000
    @Option(help: "Events written per outbox transaction, in one multi-row insert (a service writes one or a few per request).") var perTransaction =
        1
    @Option(help: "Concurrent writers (request handlers) in the throughput run.") var writers = 8
    @Option(help: "Seconds of the latency run, at half the measured throughput.") var latencySeconds = 5
    @Option(help: "Events/s of the latency run instead of half the measured throughput (to compare runs at one rate).")
    var steadyRate: Double?
    @Option(help: "The publishing service's PostgreSQL database (postgres://…), as in the distributed mode; SQLite files when absent.")
    var publisherDatabaseURL: String?
    @Option(help: "The consuming service's PostgreSQL database; required with --publisher-database-url.")
    var consumerDatabaseURL: String?

    func validate() throws {
        guard (publisherDatabaseURL == nil) == (consumerDatabaseURL == nil) else {
            throw ValidationError("--publisher-database-url and --consumer-database-url go together: each service has a database of its own.")
        }
    }

    /// Where the two services keep their data, and its name in the printed figures.
    private func databases(in directory: URL) -> (publisher: DatabaseLocation, consumer: DatabaseLocation, label: String) {
        if let publisherDatabaseURL, let consumerDatabaseURL {
            return (.postgres(url: publisherDatabaseURL), .postgres(url: consumerDatabaseURL), "PostgreSQL")
        }
        let file = { (name: String) in DatabaseLocation.sqliteFile(path: directory.appendingPathComponent("\(name).sqlite").path) }
        return (file("publisher"), file("consumer"), "SQLite")
    }

    func run() async throws {
        let logger = Logger.benchmark
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        // A publishing and a consuming service, each with its own database, as Order and Product are.
        let locations = databases(in: directory)
        let label = "\(broker.rawValue) (\(locations.label))"
        let publisherDatabase = try ServiceDatabase(location: locations.publisher, logger: logger)
        let consumerDatabase = try ServiceDatabase(location: locations.consumer, logger: logger)
        try await publisherDatabase.migrate(ServiceMessaging.migrations)
        try await consumerDatabase.migrate(ServiceMessaging.migrations)
        let (messageBroker, brokerService) = try await openBroker(directory: directory, logger: logger)
        let clock = Timeline()
        let messaging = ServiceMessaging(service: "publisher", database: publisherDatabase, broker: messageBroker, logger: logger)
        let consumer = ServiceMessaging(service: "consumer", database: consumerDatabase, broker: messageBroker, logger: logger)
        // The databases are closed below, once the group has stopped.
        let publisher = ComponentServices(relay: messaging.relay)
        let sink = ComponentServices(
            relay: consumer.relay,
            consumers: [consumer.consumer("bench.sink", handler: TimingHandler(timeline: clock))]
        )
        let services = ProcessServices(broker: brokerService, components: publisher.inStartOrder + sink.inStartOrder).inStartOrder
        let group = ServiceGroup(services: services, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }

            // Throughput: writers fill the outbox as a busy service would, while relay and consumer drain it.
            let start = ContinuousClock.now
            try await write(events, outbox: messaging.outbox, timeline: clock, writers: writers)
            try await clock.waitUntilHandled(events)
            let elapsed = ContinuousClock.now - start
            let throughput = Double(events) / elapsed.seconds
            let throughputLatency = clock.latencies()
            print(
                String(
                    format: "%@ throughput: %d events in %.2f s = %.0f events/s (latency p50 %.1f ms, p99 %.1f ms under full load)",
                    label, events, elapsed.seconds, throughput, throughputLatency.p50, throughputLatency.p99))

            // Latency at half that rate: a steady trickle, measured from commit to handled. One
            // transaction of --per-transaction events per tick (ticks at most 1 ms apart), each
            // started on schedule whether or not the one before has committed, as requests would.
            clock.reset()
            let rate = max(1, steadyRate ?? throughput / 2)
            let total = Int(rate * Double(latencySeconds))
            let ticksPerSecond = min(1000, max(1, rate / Double(perTransaction)))
            let perTick = max(1, Int((rate / ticksPerSecond).rounded()))
            let tick = Duration.seconds(1) / ticksPerSecond
            let latencyStart = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { ticks in
                var written = 0
                var tickNumber = 0
                while written < total {
                    try await Task.sleep(until: latencyStart + tick * Double(tickNumber), clock: .continuous)
                    let count = min(perTick, total - written)
                    ticks.addTask { try await write(count, outbox: messaging.outbox, timeline: clock, writers: 1) }
                    written += count
                    tickNumber += 1
                }
                try await ticks.waitForAll()
            }
            try await clock.waitUntilHandled(total)
            let steady = clock.latencies()
            print(
                String(
                    format: "%@ latency at %.0f events/s: p50 %.1f ms, p99 %.1f ms, max %.1f ms over %d events",
                    label, rate, steady.p50, steady.p99, steady.max, total))

            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        await publisherDatabase.close()
        await consumerDatabase.close()
    }

    private func write(_ count: Int, outbox: Outbox, timeline: Timeline, writers: Int) async throws {
        let perWriter = (count + writers - 1) / writers
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            for writer in 0..<writers {
                let share = min(perWriter, count - writer * perWriter)
                guard share > 0 else { continue }
                tasks.addTask { [perTransaction] in
                    var remaining = share
                    while remaining > 0 {
                        let batch = min(perTransaction, remaining)
                        let ids = try await outbox.transaction { _, writer in
                            let events = (0..<batch).map { _ in
                                OrderShipped(orderId: UUID(), customerId: "bench", carrier: "Emporium Post", trackingNumber: "EP1")
                            }
                            return try await writer.add(contentsOf: events).map(\.id)
                        }
                        timeline.committed(ids)
                        remaining -= batch
                    }
                }
            }
            try await tasks.waitForAll()
        }
    }

    private func openBroker(directory: URL, logger: Logger) async throws -> (any MessageBroker, any Service) {
        switch broker {
        case .embedded:
            let broker = try await EmbeddedBroker.open(
                location: .sqliteFile(path: directory.appendingPathComponent("broker.sqlite").path), logger: logger)
            return (broker, broker.service)
        case .nats:
            #if NATS
                let broker = try await NATSBroker.connect(settings: NATSBrokerSettings(url: natsURL), logger: logger)
                return (broker, broker)
            #else
                throw ValidationError("This build has no NATS support; scripts/bench builds with --traits NATS.")
            #endif
        }
    }
}

/// When each event was committed and when it was handled.
final class Timeline: Sendable {
    private let state = Mutex((committed: [String: ContinuousClock.Instant](), latencies: [Double](), handled: 0))

    func committed(_ ids: [String]) {
        let now = ContinuousClock.now
        state.withLock { state in
            for id in ids { state.committed[id] = now }
        }
    }

    func handled(_ id: String) {
        let now = ContinuousClock.now
        state.withLock { state in
            state.handled += 1
            // An event can be handled before its writer records the commit (the relay is fast);
            // such a sample counts as zero latency rather than being dropped.
            let committedAt = state.committed.removeValue(forKey: id) ?? now
            state.latencies.append(max(0, (now - committedAt).seconds * 1000))
        }
    }

    func waitUntilHandled(_ count: Int) async throws {
        while state.withLock({ $0.handled }) < count {
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    func reset() {
        state.withLock { $0 = ([:], [], 0) }
    }

    func latencies() -> (p50: Double, p99: Double, max: Double) {
        let sorted = state.withLock { $0.latencies }.sorted()
        guard !sorted.isEmpty else { return (0, 0, 0) }
        func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        return (percentile(0.5), percentile(0.99), sorted.last!)
    }
}

/// Records when each event reaches its handler (inside the inbox transaction).
struct TimingHandler: EventHandler {
    let timeline: Timeline
    var eventTypes: [String] { [OrderShipped.eventType] }

    func handle(_ event: ReceivedEvent, on database: any Database, events: OutboxWriter) async throws {
        timeline.handled(event.header.id)
    }
}
