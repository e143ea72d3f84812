public import CoreMetrics
import Synchronization

/// The event backbone's metrics, through swift-metrics (exported by whatever backend `main`
/// bootstraps; Prometheus comes with the observability work).
///
/// - `emporium_events_published_total{service,type}`: events the relay handed to the broker.
/// - `emporium_outbox_depth{service}` and `emporium_outbox_oldest_age_seconds{service}`: what waits
///   in the outbox, sampled whenever the relay has caught up.
/// - `emporium_events_handled_total{consumer,type}`, `emporium_events_duplicate_total{consumer,type}`,
///   `emporium_events_retried_total{consumer,type}`, `emporium_events_dead_lettered_total{consumer,type}`.
///
/// The `type` label (`emporium.order.created.v1`) makes each event type an edge of the platform's
/// graph of its own: from the publishing service through the broker to each consumer group.
/// - `emporium_dead_letters_waiting{consumer}`: dead letters no one has replayed or discarded yet,
///   from the database (so it survives a restart, unlike the counters), sampled every 10 s and
///   whenever the consumer dead-letters or replays one: alert on it above zero.
/// - `emporium_consumer_lag{consumer}`: the group's events the broker holds not yet acknowledged
///   (waiting, or handed out and not settled), sampled every 2 s; the same for every instance.
public struct MessagingMetrics: Sendable {
    let factory: any MetricsFactory

    /// Metrics created through `factory`: the process-wide system unless a test passes its own.
    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    /// The relay's metrics for `service`.
    func relay(service: String) -> Relay {
        let dimensions = [("service", service)]
        return Relay(
            published: CountersByType(label: "emporium_events_published_total", dimensions: dimensions, factory: factory),
            depth: Gauge(label: "emporium_outbox_depth", dimensions: dimensions, factory: factory),
            oldestAge: Gauge(label: "emporium_outbox_oldest_age_seconds", dimensions: dimensions, factory: factory)
        )
    }

    /// A consumer's metrics.
    func consumer(_ name: String) -> Consumer {
        let dimensions = [("consumer", name)]
        return Consumer(
            handled: CountersByType(label: "emporium_events_handled_total", dimensions: dimensions, factory: factory),
            duplicate: CountersByType(label: "emporium_events_duplicate_total", dimensions: dimensions, factory: factory),
            retried: CountersByType(label: "emporium_events_retried_total", dimensions: dimensions, factory: factory),
            deadLettered: CountersByType(label: "emporium_events_dead_lettered_total", dimensions: dimensions, factory: factory),
            deadLettersWaiting: Gauge(label: "emporium_dead_letters_waiting", dimensions: dimensions, factory: factory),
            lag: Gauge(label: "emporium_consumer_lag", dimensions: dimensions, factory: factory)
        )
    }

    struct Relay: Sendable {
        let published: CountersByType
        let depth: Gauge
        let oldestAge: Gauge
    }

    struct Consumer: Sendable {
        let handled: CountersByType
        let duplicate: CountersByType
        let retried: CountersByType
        let deadLettered: CountersByType
        let deadLettersWaiting: Gauge
        let lag: Gauge
    }
}

/// One counter per event type under one label, each made once: the factory's own lookup takes a
/// lock and builds label sets on every call.
final class CountersByType: Sendable {
    private let label: String
    private let dimensions: [(String, String)]
    private let factory: any MetricsFactory
    private let counters = Mutex<[String: Counter]>([:])

    init(label: String, dimensions: [(String, String)], factory: any MetricsFactory) {
        self.label = label
        self.dimensions = dimensions
        self.factory = factory
    }

    /// The counter of events of `type`.
    func callAsFunction(_ type: String) -> Counter {
        counters.withLock { counters in
            if let counter = counters[type] { return counter }
            let counter = Counter(label: label, dimensions: dimensions + [("type", type)], factory: factory)
            counters[type] = counter
            return counter
        }
    }
}
