import Contracts
import EmporiumCore
import FluentKit
import Foundation
import HTTPTypes
import Logging
import PaymentGateway
import SQLKit

/// Charges orders through the payment gateway, so that an order is charged successfully at most
/// once and no charge's outcome is lost:
///
/// 1. ``start(order:paymentMethod:)`` stores the payment as `processing` — the database refuses a
///    second one in flight or succeeded for the same order;
/// 2. ``complete(_:)`` sends the charge with a key derived from the order and attempt, then stores
///    the outcome and its `PaymentProcessed` in one transaction.
///
/// A charge whose answer never came stays `processing`; ``resumeStalled()`` sends it again with
/// the same key, which the gateway answers with the first outcome instead of charging twice.
struct ChargeProcessor: Sendable {
    let resources: ServiceResources
    let gateway: any PaymentProcessor
    /// Rung when a payment owes a refund.
    let refunds: Doorbell
    let stalledAfter: Duration
    let logger: Logger

    /// Stores a new `processing` payment for `order`.
    /// - Throws: a 409 problem while another payment of the order is in flight or has succeeded.
    func start(order: OrderRepresentation, paymentMethod: String) async throws -> PaymentRow {
        let store = try PaymentStore(resources.database.database(logger: logger))
        let previous = try await store.attempts(of: order.id)
        let now = Date().timeIntervalSince1970
        let payment = PaymentRow(
            id: UUID(),
            order_id: order.id,
            customer_id: order.customerId,
            amount: order.total.amount,
            currency: order.total.currency,
            payment_method: paymentMethod,
            attempt: previous + 1,
            status: .processing,
            created_at: now,
            updated_at: now
        )
        do {
            try await store.insert(payment)
        } catch {
            // The unique index: another payment of this order is in flight or took the money.
            if try await store.hasOpenPayment(of: order.id) {
                throw Problem(.paymentInProgress, detail: "This order already has a payment that is processing or succeeded.", field: "orderId")
            }
            throw error
        }
        return payment
    }

    /// Sends the charge and stores its outcome; returns the payment as it is then.
    /// - Throws: ``PaymentGatewayRefusal`` (the payment is then removed: nothing was charged);
    ///   `DependencyFailure` or `CircuitOpen` (it stays `processing`, to be resumed).
    func complete(_ payment: PaymentRow) async throws -> PaymentRow {
        let outcome: ChargeOutcome
        do {
            outcome = try await gateway.charge(
                payment.money,
                paymentMethod: payment.payment_method,
                idempotencyKey: payment.chargeKey,
                metadata: ["order_id": payment.order_id.uuidString, "payment_id": payment.id.uuidString],
                logger: logger
            )
        } catch let refusal as PaymentGatewayRefusal {
            try await PaymentStore(resources.database.database(logger: logger)).removeRefused(payment.id)
            throw refusal
        }
        return try await resources.outbox.transaction { transaction, events in
            let store = try PaymentStore(transaction)
            guard var stored = try await store.complete(payment.id, outcome: outcome, events: events) else {
                // Completed meanwhile (by the stalled-charge pass): its outcome and event stand.
                return try await store.find(payment.id) ?? payment
            }
            // The order was cancelled while the charge was in flight: the money goes back.
            if stored.status == .succeeded, try await store.isCancelled(stored.order_id) {
                try await store.oweRefund(stored.id)
                stored.refund_status = .owed
                events.wakeAfterCommit(refunds)
            }
            return stored
        }
    }

    /// Completes charges that have waited for an answer longer than `stalledAfter`; returns whether
    /// more may be waiting.
    func resumeStalled() async throws -> Bool {
        let before = Date().timeIntervalSince1970 - Double(stalledAfter.components.seconds)
        let stalled = try await PaymentStore(resources.database.database(logger: logger)).stalled(before: before, limit: 16)
        for payment in stalled {
            do {
                let completed = try await complete(payment)
                logger.notice("Stalled charge completed", metadata: ["payment": "\(payment.id)", "status": "\(completed.status.rawValue)"])
            } catch let refusal as PaymentGatewayRefusal {
                logger.error("Stalled charge refused by the gateway; removed", metadata: ["payment": "\(payment.id)", "error": "\(refusal)"])
            }
        }
        return stalled.count == 16
    }
}

extension ProblemType {
    /// The order has a payment in flight or paid already.
    static let paymentInProgress = ProblemType(slug: "payment-in-progress", title: "The order already has a payment", status: .conflict)
}
