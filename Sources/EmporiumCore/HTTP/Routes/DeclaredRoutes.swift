public import Hummingbird
import Synchronization

/// One method on one path that a component serves, as its router declares it (`GET /api/v1/orders/{id}`).
public struct ServedRoute: Codable, Sendable, Hashable, Comparable {
    /// The method (`GET`).
    public var method: String
    /// The path, with parameters as `{name}`.
    public var path: String

    /// Names a route.
    public init(method: String, path: String) {
        self.method = method
        self.path = path
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.path, lhs.method) < (rhs.path, rhs.method) }
}

/// A set of routes with their path patterns split once, to answer which methods a request's
/// path allows without re-reading the patterns on every request.
public struct RouteTable: Sendable {
    /// Every route, ordered by path then method.
    public let routes: [ServedRoute]
    /// Each route's pattern, split once, with what is known of it before any request.
    private struct Pattern: Sendable {
        let route: Int
        let parts: [Substring]
        /// Per segment, 1 for a literal and 0 for a parameter or `**`: a literal wins.
        let specificity: [Int]
        /// Per segment, whether it matches any value.
        let isCapture: [Bool]
    }
    /// The patterns without `**`, by their number of segments: a path is compared with those of
    /// its own length only, and with every pattern ending in `**`.
    private let exact: [Int: [Pattern]]
    private let open: [Pattern]

    /// A table of `routes`.
    public init(_ routes: [ServedRoute]) {
        self.routes = routes.sorted()
        var exact: [Int: [Pattern]] = [:]
        var open: [Pattern] = []
        for (index, route) in self.routes.enumerated() {
            let parts = route.path.split(separator: "/", omittingEmptySubsequences: true)
            let pattern = Pattern(
                route: index, parts: parts, specificity: parts.map { Self.isCapture($0) || $0 == "**" ? 0 : 1 },
                isCapture: parts.map(Self.isCapture))
            if parts.contains("**") { open.append(pattern) } else { exact[parts.count, default: []].append(pattern) }
        }
        self.exact = exact
        self.open = open
    }

    /// The methods of the routes that `path` matches, HEAD included where GET is; empty when none matches.
    /// Where patterns overlap (`orders/quote` and `orders/{id}`), only the most specific counts,
    /// as in the router: a literal segment wins over a parameter.
    public func allowedMethods(forPath path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var matched: [(route: Int, specificity: [Int])] = []
        for pattern in exact[segments.count] ?? [] where Self.matches(pattern, segments) {
            matched.append((pattern.route, pattern.specificity))
        }
        for pattern in open where Self.matches(pattern, segments) {
            matched.append((pattern.route, pattern.specificity))
        }
        // In the routes' order, as before the patterns were grouped.
        matched.sort { $0.route < $1.route }
        var methods: [String] = []
        var best: [Int] = []
        for (route, specificity) in matched {
            if specificity.lexicographicallyPrecedes(best) { continue }
            if specificity != best {
                methods = []
                best = specificity
            }
            methods.append(routes[route].method)
        }
        if methods.contains("GET") && !methods.contains("HEAD") { methods.append("HEAD") }
        return methods
    }

    private static func matches(_ pattern: Pattern, _ segments: [Substring]) -> Bool {
        for (index, part) in pattern.parts.enumerated() {
            if part == "**" { return segments.count > index }
            guard index < segments.count else { return false }
            if !pattern.isCapture[index] && part != segments[index] { return false }
        }
        return pattern.parts.count == segments.count
    }

    private static func isCapture(_ part: Substring) -> Bool { part.hasPrefix("{") || part.hasPrefix(":") || part == "*" }

    /// Whether a route pattern's segments (`api`, `v1`, `orders`, `{id}`; `**` for all below)
    /// match a request's path segments.
    public static func pattern(_ parts: [Substring], matches segments: [Substring]) -> Bool {
        for (index, part) in parts.enumerated() {
            if part == "**" { return segments.count > index }
            guard index < segments.count else { return false }
            if !isCapture(part) && part != segments[index] { return false }
        }
        return parts.count == segments.count
    }
}

/// The routes a component's router declares, read once its route table is complete.
///
/// They answer two questions: which methods a path allows (so that another method gets 405 with
/// `Allow` instead of 404), and what the component serves (`GET /meta/routes`, which the contract's
/// coverage test compares with the OpenAPI document).
public final class DeclaredRoutes: Sendable {
    private let table = Mutex(RouteTable([]))

    /// An empty table, filled by ``record(_:)`` before the server starts.
    public init() {}

    /// Records what `router` declares. Hummingbird's generated HEAD routes are not yet in it.
    public func record(_ router: Router<some RequestContext>) {
        let served = RouteTable(router.routes.map { ServedRoute(method: $0.method.rawValue, path: $0.path.description) })
        table.withLock { $0 = served }
    }

    /// Every declared route, ordered by path then method.
    public var all: [ServedRoute] { table.withLock { $0.routes } }

    /// The methods declared on the route that `path` matches, HEAD included where GET is; empty when none matches.
    public func allowedMethods(forPath path: String) -> [String] {
        table.withLock { $0 }.allowedMethods(forPath: path)
    }
}

/// Answers a request whose path is served, but not with its method, with 405 and `Allow`:
/// Hummingbird's router would say 404, and a client deserves to know the path exists.
struct MethodNotAllowedMiddleware<Context: RequestContext>: RouterMiddleware {
    let routes: DeclaredRoutes

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = routes.allowedMethods(forPath: request.uri.path)
            guard !allowed.isEmpty else { throw error }
            let allowHeader = allowed.joined(separator: ", ")
            throw Problem(
                .methodNotAllowed,
                detail: "\(request.method.rawValue) is not allowed here; use \(allowHeader).",
                headers: [.allow: allowHeader]
            )
        }
    }
}
