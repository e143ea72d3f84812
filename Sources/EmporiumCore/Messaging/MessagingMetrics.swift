public import CoreMetrics

/// The event backbone's metrics, through swift-metrics (exported by whatever backend `main`
/// bootstraps; Prometheus comes with the observability work).
///
/// - `emporium_events_published_total{service}`: events the relay handed to the broker.
/// - `emporium_outbox_depth{service}` and `emporium_outbox_oldest_age_seconds{service}`: what waits
///   in the outbox, sampled whenever the relay has caught up.
/// - `emporium_events_handled_total{consumer}`, `emporium_events_duplicate_total{consumer}`,
///   `emporium_events_retried_total{consumer}`, `emporium_events_dead_lettered_total{consumer}`.
/// - `emporium_dead_letters_waiting{consumer}`: dead letters no one has replayed or discarded yet,
///   from the database (so it survives a restart, unlike the counters), sampled every 10 s and
///   whenever the consumer dead-letters or replays one: alert on it above zero.
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
            published: Counter(label: "emporium_events_published_total", dimensions: dimensions, factory: factory),
            depth: Gauge(label: "emporium_outbox_depth", dimensions: dimensions, factory: factory),
            oldestAge: Gauge(label: "emporium_outbox_oldest_age_seconds", dimensions: dimensions, factory: factory)
        )
    }

    /// A consumer's metrics.
    func consumer(_ name: String) -> Consumer {
        let dimensions = [("consumer", name)]
        return Consumer(
            handled: Counter(label: "emporium_events_handled_total", dimensions: dimensions, factory: factory),
            duplicate: Counter(label: "emporium_events_duplicate_total", dimensions: dimensions, factory: factory),
            retried: Counter(label: "emporium_events_retried_total", dimensions: dimensions, factory: factory),
            deadLettered: Counter(label: "emporium_events_dead_lettered_total", dimensions: dimensions, factory: factory),
            deadLettersWaiting: Gauge(label: "emporium_dead_letters_waiting", dimensions: dimensions, factory: factory)
        )
    }

    struct Relay: Sendable {
        let published: Counter
        let depth: Gauge
        let oldestAge: Gauge
    }

    struct Consumer: Sendable {
        let handled: Counter
        let duplicate: Counter
        let retried: Counter
        let deadLettered: Counter
        let deadLettersWaiting: Gauge
    }
}
