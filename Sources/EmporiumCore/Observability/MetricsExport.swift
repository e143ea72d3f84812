import CoreMetrics
public import Hummingbird
import Metrics
import NIOCore
import Prometheus

/// The process's metrics in Prometheus' text format, which every component serves at `GET /metrics`.
///
/// swift-metrics is bootstrapped once per process with a Prometheus factory over ``registry``: the
/// messaging counters and gauges (``MessagingMetrics``), the HTTP request metrics
/// (``RequestMetricsMiddleware``) and any library's metrics land there. In the embedded mode the
/// components share the process, so each one's `/metrics` shows all of them, told apart by their
/// `component` or `service` label.
public enum MetricsExport {
    /// Where the process's metrics are kept.
    static let registry = PrometheusCollectorRegistry()

    private static let bootstrapOnce: Void = {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }()

    /// Sends swift-metrics to ``registry``. Call it at process start, before anything records a
    /// metric; later calls do nothing (swift-metrics allows one bootstrap per process).
    public static func bootstrap() {
        _ = bootstrapOnce
    }

    /// The text exposition format (version 0.0.4): what `/metrics` answers, also read in
    /// process by the embedded console.
    public static func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }

    /// The exposition's media type.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"
}

extension RouterMethods where Context == EmporiumRequestContext {
    /// Adds `GET /metrics`: ``MetricsExport``'s text exposition, for Prometheus to scrape.
    /// - Parameter loopbackOnly: Answer only clients on this machine; others get the 404 an
    ///   unknown path gets, as the public gateway must not show its traffic to the internet.
    public func addMetricsRoute(loopbackOnly: Bool) {
        resource("/metrics") { routes in
            routes.get { request, context in
                // Worded as for any unknown path: a remote client learns nothing of the route.
                if loopbackOnly, !MetricsExport.isLoopback(context.remoteAddress) { throw Problem.nothingAt(request) }
                var headers = HTTPFields()
                headers[.contentType] = MetricsExport.contentType
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: MetricsExport.exposition())))
            }
        }
    }
}

extension MetricsExport {
    /// Whether `address` (as ``EmporiumRequestContext/remoteAddress`` gives it) is this machine.
    static func isLoopback(_ address: String?) -> Bool {
        guard let address else { return false }
        return address.hasPrefix("127.") || address == "::1" || address.hasPrefix("::ffff:127.")
    }
}
