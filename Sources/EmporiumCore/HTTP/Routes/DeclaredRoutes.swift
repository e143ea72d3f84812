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
    private let patterns: [[Substring]]

    /// A table of `routes`.
    public init(_ routes: [ServedRoute]) {
        self.routes = routes.sorted()
        self.patterns = self.routes.map { $0.path.split(separator: "/", omittingEmptySubsequences: true) }
    }

    /// The methods of the routes that `path` matches, HEAD included where GET is; empty when none matches.
    /// Where patterns overlap (`orders/quote` and `orders/{id}`), only the most specific counts,
    /// as in the router: a literal segment wins over a parameter.
    public func allowedMethods(forPath path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var methods: [String] = []
        var best: [Int] = []
        for (route, pattern) in zip(routes, patterns) where Self.pattern(pattern, matches: segments) {
            let specificity = pattern.map { Self.isCapture($0) || $0 == "**" ? 0 : 1 }
            if specificity.lexicographicallyPrecedes(best) { continue }
            if specificity != best {
                methods = []
                best = specificity
            }
            methods.append(route.method)
        }
        if methods.contains("GET") && !methods.contains("HEAD") { methods.append("HEAD") }
        return methods
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
