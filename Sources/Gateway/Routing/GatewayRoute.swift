public import Contracts
import EmporiumCore

/// A public path prefix and the component that owns it.
public struct GatewayRoute: Sendable, Equatable {
    /// Who the route's clients are, which decides what crosses the gateway.
    public enum Kind: Sendable, Equatable {
        /// The public API: bearer tokens, checked at the edge; no cookies.
        case api
        /// The shop's web pages: a browser's cookies go through, no token is asked for (the
        /// storefront holds the tokens), and the storefront decides who may see what.
        case web
    }

    /// The public prefix (`/api/v1/orders`).
    public let prefix: String
    /// The component requests under it go to.
    public let upstream: Component
    /// Whether the prefix is removed before forwarding (`/auth/token` → the provider's `/token`).
    public let stripsPrefix: Bool
    /// The only paths under the prefix that are forwarded, or nil for every path under it.
    public let only: [String]?
    /// Whether it serves the API or web pages.
    public let kind: Kind

    /// Declares a route.
    public init(prefix: String, upstream: Component, stripsPrefix: Bool = false, only: [String]? = nil, kind: Kind = .api) {
        self.prefix = prefix
        self.upstream = upstream
        self.stripsPrefix = stripsPrefix
        self.only = only
        self.kind = kind
    }

    /// Every route the gateway forwards: the public API's, then the shop's pages.
    public static let all: [GatewayRoute] = api + web

    /// The browser's pages: the storefront's (the catalog at `/`, and the paths below), the
    /// console's (under `/console`, for admins), and the identity provider's sign-in and sign-out
    /// pages, which keep their own cookie.
    public static let web: [GatewayRoute] =
        [GatewayRoute(prefix: "", upstream: .storefront, only: ["/"], kind: .web)]
        + ["/products", "/cart", "/checkout", "/orders", "/account", "/register", "/admin", "/session", "/assets"].map {
            GatewayRoute(prefix: $0, upstream: .storefront, kind: .web)
        }
        + [GatewayRoute(prefix: "/console", upstream: .console, kind: .web)]
        + [GatewayRoute(prefix: "/auth", upstream: .idp, stripsPrefix: true, only: ["/authorize", "/logout"], kind: .web)]

    /// Every route of the public API. Services serve their `/api/v1/…` paths as they are (each its
    /// own dead letters under `/api/v1/admin/dead-letters/<service>`); the
    /// identity provider's public endpoints sit under `/auth` at the gateway, and its admin API
    /// (the User Service's, with a service token) is not reachable from outside.
    public static let api: [GatewayRoute] =
        [
            GatewayRoute(prefix: "/api/v1/users", upstream: .user),
            GatewayRoute(prefix: "/api/v1/products", upstream: .product),
            GatewayRoute(prefix: "/api/v1/orders", upstream: .order),
            GatewayRoute(prefix: "/api/v1/payments", upstream: .payment),
            GatewayRoute(prefix: "/api/v1/notifications", upstream: .notification),
            GatewayRoute(prefix: "/api/v1/admin/orders", upstream: .order),
            GatewayRoute(prefix: "/api/v1/admin/payments", upstream: .payment),
        ] + Component.services.map { GatewayRoute(prefix: DeadLetterRepresentation.path(of: $0), upstream: $0) } + [
            GatewayRoute(
                prefix: "/auth", upstream: .idp, stripsPrefix: true,
                only: ["/token", "/.well-known/openid-configuration", "/.well-known/jwks.json"])
        ]

    /// The gateway paths this route registers: the listed ones, or the prefix and all below it.
    public var registeredPaths: [String] {
        if let only { return only.map { prefix + $0 } }
        // `**` needs at least one more segment, so the bare prefix is registered too.
        return [prefix, prefix + "/**"]
    }

    /// The registered path that matches `path`, which the router names a request by
    /// (`/api/v1/orders/**`), for a path the route forwards.
    func registeredPath(matching path: String) -> String {
        if only != nil || path == prefix { return path }
        return prefix + "/**"
    }

    /// Whether the route forwards `path`.
    public func forwards(_ path: String) -> Bool {
        if let only { return only.contains { prefix + $0 == path } }
        return path == prefix || path.hasPrefix(prefix + "/")
    }

    /// The route that forwards `path`, if any.
    public static func forwarding(_ path: String) -> GatewayRoute? {
        all.first { $0.forwards(path) }
    }

    /// The public path of an upstream route, or nil when the gateway does not forward it.
    public func publicPath(ofUpstreamPath path: String) -> String? {
        let exposed = stripsPrefix ? prefix + path : path
        if let only { return only.map { prefix + $0 }.contains(exposed) ? exposed : nil }
        return exposed == prefix || exposed.hasPrefix(prefix + "/") ? exposed : nil
    }

    /// The components the gateway forwards to.
    public static var routedComponents: [Component] {
        all.map(\.upstream).reduce(into: []) { components, next in if !components.contains(next) { components.append(next) } }
    }

    /// The request target to send upstream for a public request target (path and query).
    func upstreamTarget(for target: String) -> String {
        guard stripsPrefix else { return target }
        let rest = target.dropFirst(prefix.count)
        return rest.hasPrefix("/") ? String(rest) : "/" + rest
    }
}
