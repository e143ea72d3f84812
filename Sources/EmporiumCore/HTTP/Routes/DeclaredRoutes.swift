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

/// The routes a component's router declares, read once its route table is complete.
///
/// They answer two questions: which methods a path allows (so that another method gets 405 with
/// `Allow` instead of 404), and what the component serves (`GET /meta/routes`, which the contract's
/// coverage test compares with the OpenAPI document).
public final class DeclaredRoutes: Sendable {
    private let routes = Mutex<[ServedRoute]>([])

    /// An empty table, filled by ``record(_:)`` before the server starts.
    public init() {}

    /// A table of routes known already (the public API's, from its contract).
    public init(_ routes: [ServedRoute]) {
        self.routes.withLock { $0 = routes.sorted() }
    }

    /// Records what `router` declares. Hummingbird's generated HEAD routes are not yet in it.
    public func record(_ router: Router<some RequestContext>) {
        let served = router.routes.map { ServedRoute(method: $0.method.rawValue, path: $0.path.description) }
        routes.withLock { $0 = served.sorted() }
    }

    /// Every declared route, ordered by path then method.
    public var all: [ServedRoute] { routes.withLock { $0 } }

    /// The methods declared on the route that `path` matches, HEAD included where GET is; empty when none matches.
    public func allowedMethods(forPath path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        var methods = all.filter { Self.pattern($0.path, matches: segments) }.map(\.method)
        if methods.contains("GET") && !methods.contains("HEAD") { methods.append("HEAD") }
        return methods
    }

    /// Whether a route pattern (`/api/v1/orders/{id}`, `/auth/**`) matches a request's path segments.
    public static func pattern(_ pattern: String, matches segments: [Substring]) -> Bool {
        let parts = pattern.split(separator: "/", omittingEmptySubsequences: true)
        for (index, part) in parts.enumerated() {
            if part == "**" { return segments.count > index }
            guard index < segments.count else { return false }
            let isCapture = part.hasPrefix("{") || part.hasPrefix(":") || part == "*"
            if !isCapture && part != segments[index] { return false }
        }
        return parts.count == segments.count
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
