public import Contracts
public import Logging

/// The payment gateway as the Payment Service uses it: charge, and refund a charge.
public protocol PaymentProcessor: Sendable {
    /// Creates and confirms a charge. The same `idempotencyKey` always gets the first outcome, so
    /// a charge whose answer was lost is repeated safely.
    /// - Returns: Whether money was taken.
    /// - Throws: ``PaymentGatewayRefusal`` for a request the gateway refuses (an unknown payment
    ///   method); `DependencyFailure` or `CircuitOpen` when it cannot answer.
    func charge(_ amount: Money, paymentMethod: String, idempotencyKey: String, metadata: [String: String], logger: Logger) async throws
        -> ChargeOutcome

    /// Refunds all of a succeeded charge; the same `idempotencyKey` never refunds twice.
    func refund(charge: String, idempotencyKey: String, logger: Logger) async throws -> RefundReceipt
}

/// How a charge ended.
public enum ChargeOutcome: Sendable, Equatable {
    /// Money was taken; the gateway's id of the charge.
    case succeeded(reference: String)
    /// The card was declined; nothing was taken.
    case declined(reference: String?, reason: String, message: String)
}

/// A refund the gateway made.
public struct RefundReceipt: Sendable, Equatable {
    /// The gateway's id of the refund.
    public let id: String
    /// The amount given back, in minor units.
    public let amount: Int
}

/// The gateway refused a request as malformed: repeating it will not help.
public struct PaymentGatewayRefusal: Error, Sendable, CustomStringConvertible {
    /// The parameter at fault, in the gateway's terms (`payment_method`).
    public let parameter: String?
    /// The gateway's code (`resource_missing`).
    public let code: String?
    /// The gateway's explanation.
    public let message: String

    /// A sentence for logs.
    public var description: String { "the payment gateway refused the request: \(message)" }
}
