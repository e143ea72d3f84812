public import CoreMetrics
import Synchronization

/// Counts and times the calls a component makes for its requests and events, by the dependency
/// called and the answer's status: `emporium_http_client_requests_total` and
/// `emporium_http_client_request_duration_seconds`, labelled `component`, `peer` and `status`
/// (the status code, or `error` when no answer came).
///
/// With the server side's ``RequestMetricsMiddleware`` these are the edges of the platform's
/// graph: who calls whom, how often, how fast and how often it fails. Calls made for no request
/// or event (health probes, key refreshes) are left out, as they are out of the traces.
/// ``OutboundHTTPClient`` records its calls itself; a component calling over another protocol
/// (the Notification Service over SMTP) records its own with a status in that protocol.
public final class OutboundCallMetrics: Sendable {
    /// The calling component.
    public let component: String
    private let factory: any MetricsFactory
    private let cache = Mutex<[SeriesKey: Series]>([:])

    /// Metrics of `component`'s calls, made through `factory`: the process-wide system unless a
    /// test passes its own.
    public init(component: String, factory: any MetricsFactory = MetricsSystem.factory) {
        self.component = component
        self.factory = factory
    }

    /// Records one call to `peer` that answered `status` (nil: no answer) after `duration`.
    public func record(peer: String, status: Int?, duration: Duration) {
        let series = series(for: SeriesKey(peer: peer, status: status))
        series.calls.increment()
        series.duration.recordNanoseconds(duration.nanoseconds)
    }

    private struct SeriesKey: Hashable {
        let peer: String
        let status: Int?
    }

    private struct Series: Sendable {
        let calls: Counter
        let duration: Timer
    }

    /// Each series' counter and timer, made once: the factory's own lookup takes a lock and
    /// builds label sets on every call.
    private func series(for key: SeriesKey) -> Series {
        cache.withLock { cache in
            if let series = cache[key] { return series }
            let dimensions = [("component", component), ("peer", key.peer), ("status", key.status.map(String.init) ?? "error")]
            let series = Series(
                calls: Counter(label: "emporium_http_client_requests_total", dimensions: dimensions, factory: factory),
                duration: Timer(
                    label: "emporium_http_client_request_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds,
                    factory: factory)
            )
            cache[key] = series
            return series
        }
    }
}
