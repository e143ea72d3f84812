/// The notifications the service sends: one per kind of event a customer should hear about.
/// The raw value names its templates (`order-shipped.text`, `order-shipped.html`).
enum NotificationKind: String, Sendable, CaseIterable {
    case welcome
    case orderReceived = "order-received"
    case paymentReceipt = "payment-receipt"
    case paymentDeclined = "payment-declined"
    case orderShipped = "order-shipped"
    case orderCancelled = "order-cancelled"
    case paymentRefunded = "payment-refunded"

    /// The subject line, from the values the templates get.
    func subject(_ values: [String: any Sendable]) -> String {
        let order = (values["orderReference"] as? String).map { " \($0)" } ?? ""
        switch self {
        case .welcome: return "Welcome to Emporium"
        case .orderReceived: return "We received your order\(order)"
        case .paymentReceipt: return "Receipt for your order\(order)"
        case .paymentDeclined: return "Your payment for order\(order) was declined"
        case .orderShipped: return "Your order\(order) is on its way"
        case .orderCancelled: return "Your order\(order) was cancelled"
        case .paymentRefunded: return "Refund for your order\(order)"
        }
    }
}
