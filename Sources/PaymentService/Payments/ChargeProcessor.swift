import Contracts
import EmporiumCore
import HTTPTypes
import FluentKit
import Logging
import PaymentGateway
import SQLKit

import Foundation

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
        let sql = try resources.database.database(logger: logger).sql
        let previous = try await sql.count("SELECT COUNT(*) AS count FROM payments WHERE order_id = \(bind: order.id)")
        let now = Date().timeIntervalSince1970
        let payment = PaymentRow(
            id: UUID(),
            order_id: order.id,
            customer_id: order.customerId,
            amount: order.total.amount,
            currency: order.total.currency,
            payment_method: paymentMethod,
            attempt: previous + 1,
            status: PaymentStatus.processing.rawValue,
            created_at: now,
            updated_at: now
        )
        do {
            try await sql.insert(into: "payments").model(payment, nilEncodingStrategy: .asNil).run()
        } catch {
            // The unique index: another payment of this order is in flight or took the money.
            if try await sql.raw("SELECT id FROM payments WHERE order_id = \(bind: order.id) AND status <> 'failed'").first() != nil {
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
            try await resources.database.database(logger: logger).sql
                .raw("DELETE FROM payments WHERE id = \(bind: payment.id) AND status = 'processing'").run()
            throw refusal
        }
        return try await resources.outbox.transaction { transaction, events in
            let sql = try transaction.sql
            let now = Date().timeIntervalSince1970
            var update = sql.update("payments").set("updated_at", to: SQLBind(now))
            switch outcome {
            case .succeeded(let reference):
                update = update.set("status", to: SQLBind(PaymentStatus.succeeded.rawValue)).set("gateway_reference", to: SQLBind(reference))
            case .declined(let reference, let reason, _):
                update = update.set("status", to: SQLBind(PaymentStatus.failed.rawValue)).set("failure_reason", to: SQLBind(reason))
                    .set("gateway_reference", to: SQLBind(reference))
            }
            guard var stored = try await update.where("id", .equal, SQLBind(payment.id)).where("status", .equal, SQLBind(PaymentStatus.processing.rawValue))
                .returning("*").first(decoding: PaymentRow.self)
            else {
                // Completed meanwhile (by the stalled-charge pass): its outcome and event stand.
                return try await sql.select().column("*").from("payments").where("id", .equal, SQLBind(payment.id)).first(decoding: PaymentRow.self) ?? payment
            }
            let succeeded = stored.status == PaymentStatus.succeeded.rawValue
            try await events.add(
                PaymentProcessed(
                    paymentId: stored.id,
                    orderId: stored.order_id,
                    customerId: stored.customer_id,
                    amount: stored.money,
                    outcome: succeeded ? .succeeded : .failed,
                    failureReason: stored.failure_reason
                )
            )
            // The order was cancelled while the charge was in flight: the money goes back.
            if succeeded, try await sql.raw("SELECT order_id FROM cancelled_orders WHERE order_id = \(bind: stored.order_id)").first() != nil {
                try await sql.raw("UPDATE payments SET refund_status = 'pending' WHERE id = \(bind: stored.id)").run()
                stored.refund_status = "pending"
                events.wakeAfterCommit(refunds)
            }
            return stored
        }
    }

    /// Completes charges that have waited for an answer longer than `stalledAfter`; returns whether
    /// more may be waiting.
    func resumeStalled() async throws -> Bool {
        let before = Date().timeIntervalSince1970 - Double(stalledAfter.components.seconds)
        let stalled = try await resources.database.database(logger: logger).sql.select().column("*").from("payments")
            .where("status", .equal, SQLBind(PaymentStatus.processing.rawValue)).where("updated_at", .lessThan, SQLBind(before))
            .orderBy("updated_at").limit(16).all(decoding: PaymentRow.self)
        for payment in stalled {
            do {
                let completed = try await complete(payment)
                logger.notice("Stalled charge completed", metadata: ["payment": "\(payment.id)", "status": "\(completed.status)"])
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
