import Contracts

/// Where each node of the seed's diagram sits (in a 1100 × 660 drawing) and how it is named: the
/// clients on the left, the gateway with the identity provider above it and the web components
/// below, the five services in a column, the broker beside them, the external systems on the right.
enum DiagramLayout {
    /// A node's place, name and kind.
    struct Place: Sendable {
        let id: String
        let label: String
        /// `clients`, `gateway`, `service`, `web`, `broker` or `external`.
        let kind: String
        let x: Double
        let y: Double
    }

    /// The drawing's size.
    static let width = 1100.0
    static let height = 660.0

    /// Every node, in drawing order.
    static let places: [Place] = [
        Place(id: "clients", label: "Clients", kind: "clients", x: 92, y: 330),
        Place(id: Component.gateway.rawValue, label: "API gateway", kind: "gateway", x: 300, y: 330),
        Place(id: Component.idp.rawValue, label: "Identity provider", kind: "external", x: 300, y: 80),
        Place(id: Component.storefront.rawValue, label: "Storefront", kind: "web", x: 120, y: 560),
        Place(id: Component.console.rawValue, label: "Console", kind: "web", x: 370, y: 600),
        Place(id: Component.user.rawValue, label: "User Service", kind: "service", x: 540, y: 90),
        Place(id: Component.product.rawValue, label: "Product Service", kind: "service", x: 540, y: 210),
        Place(id: Component.order.rawValue, label: "Order Service", kind: "service", x: 540, y: 330),
        Place(id: Component.payment.rawValue, label: "Payment Service", kind: "service", x: 540, y: 450),
        Place(id: Component.notification.rawValue, label: "Notification Service", kind: "service", x: 540, y: 570),
        Place(id: "broker", label: "Message broker", kind: "broker", x: 800, y: 330),
        Place(id: Component.shipping.rawValue, label: "Shipping API", kind: "external", x: 1010, y: 150),
        Place(id: Component.paymentGateway.rawValue, label: "Payment gateway", kind: "external", x: 1010, y: 450),
        Place(id: Component.email.rawValue, label: "Email service", kind: "external", x: 1010, y: 590),
    ]
}
