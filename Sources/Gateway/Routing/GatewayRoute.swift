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

    /// Every route of the public API. Services serve their `/api/v1/…` paths as they are; the
    /// identity provider's own paths sit under `/auth` at the gateway.
    public static let all: [GatewayRoute] = [
        GatewayRoute(prefix: "/api/v1/users", upstream: .user, stripsPrefix: false),
        GatewayRoute(prefix: "/api/v1/products", upstream: .product, stripsPrefix: false),
        GatewayRoute(prefix: "/api/v1/orders", upstream: .order, stripsPrefix: false),
        GatewayRoute(prefix: "/api/v1/payments", upstream: .payment, stripsPrefix: false),
        GatewayRoute(prefix: "/api/v1/notifications", upstream: .notification, stripsPrefix: false),
        GatewayRoute(prefix: "/auth", upstream: .idp, stripsPrefix: true),
    ]

    /// The components the gateway forwards to.
    public static var routedComponents: [Component] { all.map(\.upstream) }

    /// The request target to send upstream for a public request target (path and query).
    func upstreamTarget(for target: String) -> String {
        guard stripsPrefix else { return target }
        let rest = target.dropFirst(prefix.count)
        return rest.hasPrefix("/") ? String(rest) : "/" + rest
    }
}
