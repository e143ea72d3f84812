import Contracts

/// The order state machine: every change of an order's status is one of these, allowed only from
/// the states it lists. Anything else is refused, so that a late or repeated event cannot move an
/// order backwards.
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
