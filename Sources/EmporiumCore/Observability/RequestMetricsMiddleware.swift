import CoreMetrics
import Hummingbird
import Synchronization

/// Counts every request a component answers and times it, by route, method and status:
/// `emporium_http_requests_total` and `emporium_http_request_duration_seconds`, each labelled with
/// the component.
///
/// It sits outside ``ProblemMiddleware``, so an error is counted with the status its problem
/// response carries. A series is labelled with the matched route's pattern, never the request's
/// path (which has ids in it), so that the number of series stays bounded; a path no route matches
/// counts as `NotFound`, as Hummingbird names it.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let component: String
    private let series = SeriesCache()

    init(component: String) {
        self.component = component
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        let status: Int
        do {
            let response = try await next(request, context)
            status = response.status.code
            record(request, context: context, status: status, since: start)
            return response
        } catch {
            status = (error as? any HTTPResponseError)?.status.code ?? 500
            record(request, context: context, status: status, since: start)
            throw error
        }
    }

    private func record(_ request: Request, context: Context, status: Int, since start: ContinuousClock.Instant) {
        let key = SeriesKey(route: context.endpointPath ?? "NotFound", method: request.method.rawValue, status: status)
        let metrics = series.metrics(for: key, component: component)
        metrics.requests.increment()
        metrics.duration.recordNanoseconds((ContinuousClock.now - start).nanoseconds)
    }

    struct SeriesKey: Hashable {
        let route: String
        let method: String
        let status: Int
    }

    struct Series: Sendable {
        let requests: Counter
        let duration: Timer
    }

    /// The counter and timer of each series, made once: the factory's own lookup takes a lock and
    /// builds label sets on every call.
    final class SeriesCache: Sendable {
        private let cache = Mutex<[SeriesKey: Series]>([:])

        func metrics(for key: SeriesKey, component: String) -> Series {
            cache.withLock { cache in
                if let series = cache[key] { return series }
                let dimensions = [("component", component), ("route", key.route), ("method", key.method), ("status", String(key.status))]
                let series = Series(
                    requests: Counter(label: "emporium_http_requests_total", dimensions: dimensions),
                    duration: Timer(label: "emporium_http_request_duration_seconds", dimensions: dimensions, preferredDisplayUnit: .seconds)
                )
                cache[key] = series
                return series
            }
        }
    }
}
