import Contracts

/// The order state machine: every change of an order's status is one of these, allowed only from
/// the states it lists. Anything else is refused, so that a late or repeated event cannot move an
/// order backwards. Each transition also says which event announces it (``announcement(of:)``),
/// and a new order is announced by ``placement(of:lines:)``.
///
/// ```
/// pending ──stock reserved──▶ awaiting_payment ──paid──▶ paid ──shipped──▶ shipped
///    │                          │      ▲  │                 │
///    │ stock rejected            │      │  declined          │
///    ▼                          ▼      │  ▼                 ▼
/// cancelled ◀──owner / expiry── payment_failed ─────────▶ cancelled (owner; refunded)
/// ```
enum OrderTransition: Sendable {
    case stockReserved
    case stockRejected
    case paymentSucceeded
    case paymentDeclined
    case shipped
    case cancelledByOwner
    case expired

    /// The states it may start from.
    var from: Set<OrderStatus> {
        switch self {
        case .stockReserved, .stockRejected: [.pending]
        case .paymentSucceeded, .paymentDeclined: [.awaitingPayment, .paymentFailed]
        case .shipped: [.paid]
        case .cancelledByOwner: [.pending, .awaitingPayment, .paymentFailed, .paid]
        case .expired: [.pending, .awaitingPayment, .paymentFailed]
        }
    }

    /// The state it ends in.
    var to: OrderStatus {
        switch self {
        case .stockReserved: .awaitingPayment
        case .stockRejected, .cancelledByOwner, .expired: .cancelled
        case .paymentSucceeded: .paid
        case .paymentDeclined: .paymentFailed
        case .shipped: .shipped
        }
    }

    /// The event that announces the change, written in the transaction that makes it; nil where
    /// the event that caused the change is announcement enough (stock and payment outcomes).
    func announcement(of order: OrderRow) -> Announcement? {
        switch self {
        case .stockRejected, .cancelledByOwner, .expired:
            .cancelled(
                OrderCancelled(
                    orderId: order.id,
                    customerId: order.customer_id,
                    reason: cancellationReason ?? .customerRequest,
                    stockReserved: order.stock_reserved,
                    lines: order.stockLines
                )
            )
        case .shipped:
            .shipped(
                OrderShipped(
                    orderId: order.id, customerId: order.customer_id, carrier: order.carrier ?? "", trackingNumber: order.tracking_number ?? ""))
        case .stockReserved, .paymentSucceeded, .paymentDeclined:
            nil
        }
    }

    /// The event that announces a new order, written in the transaction that stores it.
    static func placement(of order: OrderRow, lines: [OrderLine]) -> OrderCreated {
        OrderCreated(
            orderId: order.id,
            customerId: order.customer_id,
            lines: lines,
            shipping: Money(amount: order.shipping_amount, currency: order.currency),
            total: Money(amount: order.total, currency: order.currency)
        )
    }

    /// The events a change of status publishes.
    enum Announcement {
        case cancelled(OrderCancelled)
        case shipped(OrderShipped)
    }

    /// Why an order ends cancelled, for the transitions that cancel it.
    var cancellationReason: OrderCancelled.Reason? {
        switch self {
        case .stockRejected: .stockRejected
        case .cancelledByOwner: .customerRequest
        case .expired: .expired
        default: nil
        }
    }
}
