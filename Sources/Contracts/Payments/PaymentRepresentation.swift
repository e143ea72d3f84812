public import Foundation

/// The body of `POST /api/v1/payments`.
public struct NewPayment: Codable, Sendable, Equatable {
    /// The order to pay; it must be the caller's and payable.
    public var orderId: UUID
    /// The payment method (`pm_card_visa`).
    public var paymentMethod: String

    /// Creates the body.
    public init(orderId: UUID, paymentMethod: String) {
        self.orderId = orderId
        self.paymentMethod = paymentMethod
    }
}

/// Where a payment is.
public enum PaymentStatus: String, Codable, Sendable {
    /// Sent to the payment gateway; its answer is awaited.
    case processing
    /// Money was taken.
    case succeeded
    /// Declined or failed; nothing was taken.
    case failed
    /// Money was taken and given back.
    case refunded
}

/// A payment as the Payment Service's API shows it.
public struct PaymentRepresentation: Codable, Sendable, Equatable {
    /// The payment's id.
    public var id: UUID
    /// The order paid for.
    public var orderId: UUID
    /// Who paid.
    public var customerId: String
    /// The amount charged.
    public var amount: Money
    /// The method used.
    public var paymentMethod: String
    /// Where it is.
    public var status: PaymentStatus
    /// Why it failed (`card_declined`, `insufficient_funds`), when it did.
    public var failureReason: String?
    /// The payment gateway's id of the charge.
    public var gatewayReference: String?
    /// When it was made.
    public var createdAt: Date

    /// Creates a representation.
    public init(
        id: UUID,
        orderId: UUID,
        customerId: String,
        amount: Money,
        paymentMethod: String,
        status: PaymentStatus,
        failureReason: String?,
        gatewayReference: String?,
        createdAt: Date
    ) {
        self.id = id
        self.orderId = orderId
        self.customerId = customerId
        self.amount = amount
        self.paymentMethod = paymentMethod
        self.status = status
        self.failureReason = failureReason
        self.gatewayReference = gatewayReference
        self.createdAt = createdAt
    }
}
