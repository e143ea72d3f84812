import Contracts
import EmporiumCore
import FluentKit
import Foundation
import Logging

/// The Order Service's side of the checkout saga: the Product Service's answer on stock moves a
/// pending order on (or cancels it), and the Payment Service's outcome marks it paid or
/// payment_failed. A paid order wakes the ``ShipmentDispatcher`` once the change commits.
///
/// An event the state machine does not allow — a late answer for an order cancelled meanwhile —
/// changes nothing and is acknowledged: the services that must compensate learn of the
/// cancellation from `OrderCancelled`.
struct OrderSagaHandler: EventHandler {
    let shipments: Doorbell
    let logger: Logger

    var eventTypes: [String] { [StockReserved.eventType, StockRejected.eventType, PaymentProcessed.eventType] }

    func handle(_ event: ReceivedEvent, on database: any Database, events: OutboxWriter) async throws {
        let store = try OrderStore(database)
        switch event.header.type {
        case StockReserved.eventType:
            let reserved = try event.decode(StockReserved.self).data
            try await apply(.stockReserved, to: reserved.orderId, store: store, events: events)
        case StockRejected.eventType:
            let rejected = try event.decode(StockRejected.self).data
            try await apply(.stockRejected, to: rejected.orderId, store: store, events: events)
        case PaymentProcessed.eventType:
            let payment = try event.decode(PaymentProcessed.self).data
            switch payment.outcome {
            case .succeeded:
                if try await apply(.paymentSucceeded, to: payment.orderId, store: store, events: events) { events.wakeAfterCommit(shipments) }
            case .failed:
                try await apply(.paymentDeclined, to: payment.orderId, reason: payment.failureReason ?? "declined", store: store, events: events)
            }
        default:
            throw OrderStoreError.unexpectedEvent(event.header.type)
        }
    }

    @discardableResult
    private func apply(_ transition: OrderTransition, to id: UUID, reason: String? = nil, store: OrderStore, events: OutboxWriter) async throws
        -> Bool
    {
        if try await store.apply(transition, to: id, reason: reason, events: events) != nil { return true }
        let status = try await store.find(id)?.status.rawValue ?? "missing"
        logger.notice(
            "Event does not apply to the order's status; ignored", metadata: ["order": "\(id)", "transition": "\(transition)", "status": "\(status)"])
        return false
    }
}
