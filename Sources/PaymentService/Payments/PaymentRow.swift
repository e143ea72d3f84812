import Contracts
import EmporiumCore
import Foundation

/// A payment as stored: one row of `payments`.
struct PaymentRow: Codable, Sendable {
    var id: UUID
    var order_id: UUID
    var customer_id: String
    var amount: Int
    var currency: String
    var payment_method: String
    var attempt: Int
    var status: PaymentStatus
    var failure_reason: String?
    var gateway_reference: String?
    /// nil while the payment owes nothing back.
    var refund_status: RefundStatus?
    var refund_id: String?
    var created_at: Double
    var updated_at: Double

    var money: Money { Money(amount: amount, currency: currency) }

    /// The key the gateway de-duplicates this charge by: one attempt at paying an order (this
    /// payment) is one charge, however often it is sent. The payment's id rather than the attempt
    /// number alone, because an attempt the gateway refused is removed and its number reused.
    var chargeKey: String { "emporium-order-\(order_id.uuidString.lowercased())-payment-\(id.uuidString.lowercased())" }

    /// The API's view of the payment.
    var representation: PaymentRepresentation {
        PaymentRepresentation(
            id: id,
            orderId: order_id,
            customerId: customer_id,
            amount: money,
            paymentMethod: payment_method,
            status: status,
            failureReason: failure_reason,
            gatewayReference: gateway_reference,
            createdAt: Date(timeIntervalSince1970: created_at)
        )
    }
}
