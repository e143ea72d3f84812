/// Every process-level part of the platform: the gateway, the five services, the storefront
/// (the shop's web pages), the console (the operators' live view) and the four simulators of
/// external systems.
public enum Component: String, CaseIterable, Sendable, Codable {
    /// The API gateway: the single public entry point.
    case gateway
    /// Profiles and addresses.
    case user
    /// Catalog, prices and stock.
    case product
    /// Orders and their status history.
    case order
    /// Payments and refunds.
    case payment
    /// Notifications sent.
    case notification
    /// The shop's web pages and the back office: a client of the public API, with its own sessions and carts.
    case storefront
    /// The operators' console: the platform's diagram drawn live from its traffic, for admins.
    case console
    /// The identity-provider simulator (OpenID Connect).
    case idp
    /// The payment-gateway simulator (Stripe-style HTTPS API).
    case paymentGateway = "payment-gateway"
    /// The email-service simulator (SMTP).
    case email
    /// The shipping-API simulator (HTTPS JSON).
    case shipping

    /// The port `emporium serve` binds when none is configured.
    public var defaultPort: Int {
        switch self {
        case .gateway: 8080
        case .user: 8081
        case .product: 8082
        case .order: 8083
        case .payment: 8084
        case .notification: 8085
        case .storefront: 8086
        case .console: 8087
        case .idp: 8090
        case .paymentGateway: 8091
        case .email: 8092
        case .shipping: 8093
        }
    }

    /// The services that own a database.
    public static let services: [Component] = [.user, .product, .order, .payment, .notification]
    /// The simulators of external systems.
    public static let simulators: [Component] = [.idp, .paymentGateway, .email, .shipping]

    /// The simulators whose faults (latency, errors, spikes) an operator changes at run time
    /// with their operator key, in the order the console offers them.
    public static let faultInjectable: [Component] = [.paymentGateway, .email, .shipping]

    /// The configuration scope of the component (`payment-gateway.http.port` ↔ `PAYMENT_GATEWAY_HTTP_PORT`).
    public var configScope: String { rawValue }
}
