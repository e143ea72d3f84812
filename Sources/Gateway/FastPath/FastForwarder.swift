import Contracts
import CoreMetrics
import EmporiumCore
import HTTPTypes
import Logging
import NIOCore

/// What the gateway's fast path needs to forward a request on the event loop that received it
/// (ADR 36): the edge's checks, where upstreams are, and the metrics and spans every forwarded
/// request leaves. Each client connection gets a ``FastForwardingHandler`` of its own from it.
///
/// Only requests whose every check can be decided at once take the fast path; the others (a body
/// to read, a token not verified before, a refusal, a path in an unusual spelling) go on to the
/// router, which forwards them as before.
final class FastForwarder: Sendable {
    let directory: UpstreamDirectory
    let access: GatewayAccessMiddleware
    let methods: ContractMethodsMiddleware
    let timeout: Duration
    /// The timeout in the event loop's unit.
    let timeoutAmount: TimeAmount
    let tracer: ComponentTracer
    let logger: Logger
    let requests: ServerRequestMetrics
    let calls: OutboundCallMetrics
    let pools: UpstreamConnectionPools
    /// `emporium_gateway_requests_total{path}`: how many requests the fast path took (`fast`)
    /// and how many it left to the router (`router`).
    let taken: Counter
    let leftToRouter: Counter

    init(
        directory: UpstreamDirectory, access: GatewayAccessMiddleware, methods: ContractMethodsMiddleware, timeout: Duration,
        server: ComponentServer, pools: UpstreamConnectionPools, metrics: any MetricsFactory
    ) {
        self.directory = directory
        self.access = access
        self.methods = methods
        self.timeout = timeout
        self.timeoutAmount = .nanoseconds(timeout.components.seconds * 1_000_000_000 + timeout.components.attoseconds / 1_000_000_000)
        self.tracer = server.tracer
        self.logger = server.logger
        self.requests = ServerRequestMetrics(component: server.component, factory: metrics)
        self.calls = OutboundCallMetrics(component: server.component, factory: metrics)
        self.pools = pools
        self.taken = Counter(label: "emporium_gateway_requests_total", dimensions: [("path", "fast")], factory: metrics)
        self.leftToRouter = Counter(label: "emporium_gateway_requests_total", dimensions: [("path", "router")], factory: metrics)
    }

    /// A new connection's handler.
    func makeHandler() -> FastForwardingHandler {
        FastForwardingHandler(forwarder: self)
    }

    /// Where a request goes when the fast path may forward it; nil sends it to the router.
    func plan(for head: HTTPRequest, clientAddress: String) -> ForwardingPlan? {
        guard let plan = fastPlan(for: head, clientAddress: clientAddress) else {
            leftToRouter.increment()
            return nil
        }
        taken.increment()
        return plan
    }

    private func fastPlan(for head: HTTPRequest, clientAddress: String) -> ForwardingPlan? {
        guard let target = head.path, Self.isPlain(target), !Self.hasBody(head.headerFields) else { return nil }
        let query = target.firstIndex(of: "?")
        let path = query.map { String(target[..<$0]) } ?? target
        guard let route = GatewayRoute.forwarding(path), methods.admits(head.method, path: path),
            access.admitsAtOnce(method: head.method, path: path, headers: head.headerFields, address: clientAddress, route: route),
            let instance = directory.pick(route.upstream)
        else { return nil }
        return ForwardingPlan(
            route: route, instance: instance, path: path, query: query.map { String(target[target.index(after: $0)...]) },
            upstreamTarget: route.upstreamTarget(for: target), registeredPath: route.registeredPath(matching: path))
    }

    /// Whether a request target is spelled the one way the router and the access rules read
    /// alike: no percent-escapes, dot segments, empty segments or fragment, none of which a
    /// client of the API needs.
    static func isPlain(_ target: String) -> Bool {
        let bytes = target.utf8
        guard bytes.first == UInt8(ascii: "/") else { return false }
        guard bytes.count > 1 else { return true }
        var segmentLength = 0
        var dots = 0
        // A segment ends at a slash, at the query, or at the end; each must be neither empty nor `.` or `..`.
        for byte in bytes.dropFirst() {
            switch byte {
            case UInt8(ascii: "%"), UInt8(ascii: "#"), UInt8(ascii: "\\"):
                return false
            case UInt8(ascii: "/"), UInt8(ascii: "?"):
                if segmentLength == 0 || (dots == segmentLength && dots <= 2) { return false }
                if byte == UInt8(ascii: "?") { return true }
                segmentLength = 0
                dots = 0
            default:
                segmentLength += 1
                if byte == UInt8(ascii: ".") { dots += 1 }
            }
        }
        return segmentLength > 0 && !(dots == segmentLength && dots <= 2)
    }

    /// Whether the request says a body follows: the router reads bodies (ADR 25).
    static func hasBody(_ fields: HTTPFields) -> Bool {
        if fields[.transferEncoding] != nil { return true }
        guard let length = fields[.contentLength] else { return false }
        return length != "0"
    }
}

/// Where one request goes, decided by ``FastForwarder/plan(for:clientAddress:)``.
struct ForwardingPlan {
    let route: GatewayRoute
    /// The instance the first attempt goes to.
    let instance: BalancedInstance
    let path: String
    let query: String?
    /// What is asked of the upstream: the path (less a stripped prefix) and the query.
    let upstreamTarget: String
    /// The route's registered path, which names the request in metrics and spans.
    let registeredPath: String
}
