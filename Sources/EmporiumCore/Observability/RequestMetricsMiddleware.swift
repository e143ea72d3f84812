package import CoreMetrics
import Hummingbird
import Synchronization

/// Counts every request a component answers and times it, by route, method and status, in
/// ``ServerRequestMetrics``.
///
/// It sits outside ``ProblemMiddleware``, so an error is counted with the status its problem
/// response carries. A path no route matches counts as `NotFound`, as Hummingbird names it.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerRequestMetrics

    init(component: String) {
        self.metrics = ServerRequestMetrics(component: component)
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let route = context.endpointPath ?? "NotFound"
        do {
            let response = try await next(request, context)
            metrics.record(route: route, method: request.method.rawValue, status: response.status.code, duration: .now - start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            metrics.record(route: route, method: request.method.rawValue, status: status, duration: .now - start)
            throw error
        }
    }
}

/// A component's `emporium_http_requests_total` and `emporium_http_request_duration_seconds`,
/// each labelled with the component, route, method and status: what its router answers
/// (``RequestMetricsMiddleware``) and what the gateway forwards without it.
///
/// A series is labelled with the matched route's pattern, never the request's path (which has
/// ids in it), so that the number of series stays bounded.
package final class ServerRequestMetrics: Sendable {
    /// The component answering.
    package let component: String
    private let factory: any MetricsFactory
    private let cache = Mutex<[SeriesKey: Series]>([:])

    /// The metrics of `component`'s requests, made through `factory`: the process-wide system
    /// unless a test passes its own.
    package init(component: String, factory: any MetricsFactory = MetricsSystem.factory) {
        self.component = component
        self.factory = factory
    }

    /// Records one request to `route` answered with `status` after `duration`.
    package func record(route: String, method: String, status: Int, duration: Duration) {
        let series = series(for: SeriesKey(route: route, method: method, status: status))
        series.requests.increment()
        series.duration.recordNanoseconds(duration.nanoseconds)
    }

    private struct SeriesKey: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    private struct Series: Sendable {
        let requests: Counter
        let duration: Timer
    }

    /// The counter and timer of each series, made once: the factory's own lookup takes a lock and
    /// builds label sets on every call.
    private func series(for key: SeriesKey) -> Series {
        cache.withLock { cache in
            if let series = cache[key] { return series }
            let dimensions = [("component", component), ("route", key.route), ("method", key.method), ("status", String(key.status))]
            let series = Series(
                requests: Counter(label: "emporium_http_requests_total", dimensions: dimensions, factory: factory),
                duration: Timer(
                    label: "emporium_http_request_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds, factory: factory)
            )
            cache[key] = series
            return series
        }
    }
}
