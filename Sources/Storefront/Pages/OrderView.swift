import EmporiumClient
import Foundation

/// An order as its page and the orders list show it: every label and figure worked out here.
struct OrderView: Sendable {
    struct Step: Sendable {
        var label: String
        var at: String
        var datetime: String
        var reason: String?
    }

    struct Line: Sendable {
        var name: String
        var quantity: Int
        var unitPrice: String
        var lineTotal: String
    }

    struct PaymentLine: Sendable {
        var method: String
        var amount: String
        var status: String
        var reason: String?
    }

    var id: String
    var reference: String
    var placedAt: String
    var status: String
    var statusLabel: String
    var history: [Step]
    var lines: [Line]
    var subtotal: String
    var shipping: String
    var total: String
    var addressSummary: String
    var carrier: String?
    var trackingNumber: String?
    var payments: [PaymentLine]
    var refund: String?
    var canPay: Bool
    var canCancel: Bool
    /// Changes whenever anything the page shows changes: what the live updates compare.
    var version: String

    init(_ order: CustomerAPI.Order, payments: [CustomerAPI.Payment]) {
        let currency = order.total.currency
        id = order.id
        reference = Self.reference(of: order.id)
        placedAt = Self.format(order.createdAt)
        status = order.status.rawValue
        statusLabel = Self.label(of: order.status)
        history = order.statusHistory.map {
            Step(
                label: Self.label(of: $0.status), at: Self.format($0.at), datetime: ISO8601DateFormatter().string(from: $0.at),
                reason: $0.reason.map(Self.reason))
        }
        lines = order.lines.map {
            Line(
                name: $0.name, quantity: $0.quantity, unitPrice: MoneyText.format($0.unitPrice.amount, currency: currency),
                lineTotal: MoneyText.format($0.unitPrice.amount * $0.quantity, currency: currency))
        }
        subtotal = MoneyText.format(order.subtotal.amount, currency: currency)
        shipping = MoneyText.format(order.shipping.amount, currency: currency)
        total = MoneyText.format(order.total.amount, currency: currency)
        addressSummary = AddressForm.summary(of: order.shippingAddress)
        carrier = order.shipment?.carrier
        trackingNumber = order.shipment?.trackingNumber
        let own = payments.filter { $0.orderId == order.id }.sorted { $0.createdAt < $1.createdAt }
        self.payments = own.map {
            PaymentLine(
                method: TestCard.label(of: $0.paymentMethod), amount: MoneyText.format($0.amount.amount, currency: $0.amount.currency),
                status: $0.status.rawValue.capitalized, reason: $0.failureReason.map(Self.reason))
        }
        refund = own.first { $0.status == .refunded }.map {
            "Refunded \(MoneyText.format($0.amount.amount, currency: $0.amount.currency)) to \(TestCard.label(of: $0.paymentMethod))."
        }
        canPay = [.pending, .awaitingPayment, .paymentFailed].contains(order.status)
        canCancel = order.status != .shipped && order.status != .cancelled
        version = ([order.status.rawValue, "\(order.statusHistory.count)"] + own.map { "\($0.id.prefix(8)):\($0.status.rawValue)" }).joined(
            separator: "-")
    }

    /// What a customer calls an order: the first block of its id, upper-cased.
    static func reference(of id: String) -> String { String(id.prefix(8)).uppercased() }

    static func label(of status: Components.Schemas.OrderStatus) -> String {
        switch status {
        case .pending: "Placed, reserving stock"
        case .awaitingPayment: "Awaiting payment"
        case .paymentFailed: "Payment declined"
        case .paid: "Paid, preparing shipment"
        case .shipped: "Shipped"
        case .cancelled: "Cancelled"
        }
    }

    /// The API's reason codes (`card_declined`) in words.
    static func reason(_ code: String) -> String {
        switch code {
        case "card_declined", "generic_decline": "the card was declined"
        case "insufficient_funds": "the card has insufficient funds"
        case "stock_rejected": "the stock could not be reserved"
        case "expired": "it was not paid in time"
        default: code.replacingOccurrences(of: "_", with: " ")
        }
    }

    static func format(_ date: Date) -> String {
        date.formatted(Date.FormatStyle(date: .abbreviated, time: .shortened, timeZone: TimeZone(identifier: "UTC") ?? .current)) + " UTC"
    }
}

/// The payment gateway's test cards, as the order page offers them.
enum TestCard {
    /// Each test method, with what it does.
    static let all: [(method: String, label: String)] = [
        ("pm_card_visa", "Test Visa card (succeeds)"),
        ("pm_card_chargeDeclined", "Test card that is declined"),
        ("pm_card_insufficientFunds", "Test card with insufficient funds"),
    ]

    static func label(of method: String) -> String {
        all.first { $0.method == method }?.label ?? method
    }
}
