public import Contracts
import EmporiumCore

/// A public path prefix and the component that owns it.
public struct GatewayRoute: Sendable, Equatable {
    /// The public prefix (`/api/v1/orders`).
    public let prefix: String
    /// The component requests under it go to.
    public let upstream: Component
    /// Whether the prefix is removed before forwarding (`/auth/token` → the provider's `/token`).
    public let stripsPrefix: Bool
    /// The only paths under the prefix that are forwarded, or nil for every path under it.
    public let only: [String]?

    /// Declares a route.
    public init(prefix: String, upstream: Component, stripsPrefix: Bool = false, only: [String]? = nil) {
        self.prefix = prefix
        self.upstream = upstream
        self.stripsPrefix = stripsPrefix
        self.only = only
    }

    /// Every route of the public API. Services serve their `/api/v1/…` paths as they are; the
    /// identity provider's public endpoints sit under `/auth` at the gateway, and its admin API
    /// (the User Service's, with a service token) is not reachable from outside.
    public static let all: [GatewayRoute] = [
        GatewayRoute(prefix: "/api/v1/users", upstream: .user),
        GatewayRoute(prefix: "/api/v1/products", upstream: .product),
        GatewayRoute(prefix: "/api/v1/orders", upstream: .order),
        GatewayRoute(prefix: "/api/v1/payments", upstream: .payment),
        GatewayRoute(prefix: "/api/v1/notifications", upstream: .notification),
        GatewayRoute(
            prefix: "/auth", upstream: .idp, stripsPrefix: true,
            only: ["/token", "/.well-known/openid-configuration", "/.well-known/jwks.json"]),
    ]

    /// The gateway paths this route registers: the listed ones, or the prefix and all below it.
    public var registeredPaths: [String] {
        if let only { return only.map { prefix + $0 } }
        // `**` needs at least one more segment, so the bare prefix is registered too.
        return [prefix, prefix + "/**"]
    }

    /// The public path of an upstream route, or nil when the gateway does not forward it.
    public func publicPath(ofUpstreamPath path: String) -> String? {
        let exposed = stripsPrefix ? prefix + path : path
        if let only { return only.map { prefix + $0 }.contains(exposed) ? exposed : nil }
        return exposed == prefix || exposed.hasPrefix(prefix + "/") ? exposed : nil
    }

    /// The components the gateway forwards to.
    public static var routedComponents: [Component] { all.map(\.upstream) }

    /// The request target to send upstream for a public request target (path and query).
    func upstreamTarget(for target: String) -> String {
        guard stripsPrefix else { return target }
        let rest = target.dropFirst(prefix.count)
        return rest.hasPrefix("/") ? String(rest) : "/" + rest
    }
}
