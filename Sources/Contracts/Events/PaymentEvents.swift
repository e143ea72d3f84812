public import Foundation

/// A charge for an order succeeded or failed. The Order Service marks the order paid or
/// payment_failed; the Notification Service sends the receipt or the decline notice.
public struct PaymentProcessed: DomainEvent {
    public static let eventType = "emporium.payment.processed.v1"
    public static let source = "/emporium/payment"
    public var subject: String { "payments/\(paymentId.uuidString)" }

    /// How the charge ended.
    public enum Outcome: String, Codable, Sendable {
        /// Money was taken.
        case succeeded
        /// It was declined or failed; nothing was taken.
        case failed
    }

    /// The payment.
    public var paymentId: UUID
    /// The order paid for.
    public var orderId: UUID
    /// Who paid.
    public var customerId: String
    /// The amount charged (or attempted).
    public var amount: Money
    /// How it ended.
    public var outcome: Outcome
    /// Why it failed (`card_declined`, `insufficient_funds`…), when it did.
    public var failureReason: String?

    /// Creates the event.
    public init(paymentId: UUID, orderId: UUID, customerId: String, amount: Money, outcome: Outcome, failureReason: String?) {
        self.paymentId = paymentId
        self.orderId = orderId
        self.customerId = customerId
        self.amount = amount
        self.outcome = outcome
        self.failureReason = failureReason
    }
}

/// Money taken for an order was given back.
public struct PaymentRefunded: DomainEvent {
    public static let eventType = "emporium.payment.refunded.v1"
    public static let source = "/emporium/payment"
    public var subject: String { "payments/\(paymentId.uuidString)" }

    /// The payment refunded.
    public var paymentId: UUID
    /// The payment gateway's refund id.
    public var refundId: String
    /// The order.
    public var orderId: UUID
    /// Who gets the money back.
    public var customerId: String
    /// How much.
    public var amount: Money

    /// Creates the event.
    public init(paymentId: UUID, refundId: String, orderId: UUID, customerId: String, amount: Money) {
        self.paymentId = paymentId
        self.refundId = refundId
        self.orderId = orderId
        self.customerId = customerId
        self.amount = amount
    }
}
