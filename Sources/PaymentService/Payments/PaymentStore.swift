import Contracts
import EmporiumCore
import FluentKit
import Foundation
import PaymentGateway
import SQLKit

/// Reads and changes payments: the one place that holds the Payment Service's SQL.
///
/// A payment's life, and the event each step publishes in the transaction that makes it:
///
/// ```
/// processing ──charged──▶ succeeded ──refunded──▶ refunded      PaymentProcessed, then PaymentRefunded
///     │   └───declined──▶ failed                               PaymentProcessed
///     └──refused by the gateway──▶ (removed: nothing was charged)
/// ```
///
/// Beside its status a succeeded payment may owe a refund (``RefundStatus``). Statuses are
/// stored as the enums' raw values, bound as the enums themselves: no query spells a status.
struct PaymentStore: Sendable {
    let sql: any SQLDatabase

    init(_ database: any Database) throws {
        sql = try database.sql
    }

    /// One payment by id.
    func find(_ id: UUID) async throws -> PaymentRow? {
        try await sql.select().column("*").from("payments").where("id", .equal, SQLBind(id)).first(decoding: PaymentRow.self)
    }

    /// A customer's payments, newest first, and how many they have.
    func page(of customer: String, paging: EmporiumCore.PageRequest) async throws -> (rows: [PaymentRow], total: Int) {
        let total = try await sql.count("SELECT COUNT(*) AS count FROM payments WHERE customer_id = \(bind: customer)")
        let rows = try await sql.select().column("*").from("payments").where("customer_id", .equal, SQLBind(customer))
            .orderBy("created_at", .descending).orderBy("id").limit(paging.perPage).offset(paging.offset)
            .all(decoding: PaymentRow.self)
        return (rows, total)
    }

    /// The payments of `order`, newest first, and how many there are.
    func page(ofOrder order: UUID, paging: EmporiumCore.PageRequest) async throws -> (rows: [PaymentRow], total: Int) {
        let total = try await sql.count("SELECT COUNT(*) AS count FROM payments WHERE order_id = \(bind: order)")
        let rows = try await sql.select().column("*").from("payments").where("order_id", .equal, SQLBind(order))
            .orderBy("created_at", .descending).orderBy("id").limit(paging.perPage).offset(paging.offset)
            .all(decoding: PaymentRow.self)
        return (rows, total)
    }

    /// How many payments of `order` were ever stored (the next attempt's number is one more).
    func attempts(of order: UUID) async throws -> Int {
        try await sql.count("SELECT COUNT(*) AS count FROM payments WHERE order_id = \(bind: order)")
    }

    /// Stores a new payment in `processing`; the database refuses it while another payment of
    /// the same order is `processing` or `succeeded` (``CreatePayments``' unique index).
    func insert(_ payment: PaymentRow) async throws {
        try await sql.insert(into: "payments").model(payment, nilEncodingStrategy: .asNil).run()
    }

    /// Whether `order` has a payment in flight or one that took the money.
    func hasOpenPayment(of order: UUID) async throws -> Bool {
        try await sql.select().column("id").from("payments")
            .where("order_id", .equal, SQLBind(order)).where("status", .notEqual, SQLBind(PaymentStatus.failed))
            .first() != nil
    }

    /// Removes a payment still `processing` whose charge the gateway refused: nothing was taken.
    func removeRefused(_ id: UUID) async throws {
        try await sql.delete(from: "payments").where("id", .equal, SQLBind(id)).where("status", .equal, SQLBind(PaymentStatus.processing)).run()
    }

    /// Stores the charge's outcome on a payment still `processing`, with its `PaymentProcessed`.
    /// - Returns: The payment after the change, or nil if it was completed meanwhile.
    func complete(_ id: UUID, outcome: ChargeOutcome, events: OutboxWriter) async throws -> PaymentRow? {
        var update = sql.update("payments").set("updated_at", to: SQLBind(Date().timeIntervalSince1970))
        switch outcome {
        case .succeeded(let reference):
            update = update.set("status", to: SQLBind(PaymentStatus.succeeded)).set("gateway_reference", to: SQLBind(reference))
        case .declined(let reference, let reason, _):
            update = update.set("status", to: SQLBind(PaymentStatus.failed)).set("failure_reason", to: SQLBind(reason))
                .set("gateway_reference", to: SQLBind(reference))
        }
        guard
            let stored = try await update.where("id", .equal, SQLBind(id)).where("status", .equal, SQLBind(PaymentStatus.processing))
                .returning("*").first(decoding: PaymentRow.self)
        else { return nil }
        try await events.add(
            PaymentProcessed(
                paymentId: stored.id,
                orderId: stored.order_id,
                customerId: stored.customer_id,
                amount: stored.money,
                outcome: stored.status == .succeeded ? .succeeded : .failed,
                failureReason: stored.failure_reason
            )
        )
        return stored
    }

    /// Payments `processing` since before `before`, oldest first.
    func stalled(before: Double, limit: Int) async throws -> [PaymentRow] {
        try await sql.select().column("*").from("payments")
            .where("status", .equal, SQLBind(PaymentStatus.processing)).where("updated_at", .lessThan, SQLBind(before))
            .orderBy("updated_at").limit(limit).all(decoding: PaymentRow.self)
    }

    /// Remembers that `order` was cancelled, so that a charge completing later is refunded too.
    func recordCancellation(of order: UUID) async throws {
        try await sql.raw(
            "INSERT INTO cancelled_orders (order_id, cancelled_at) VALUES (\(bind: order), \(bind: Date().timeIntervalSince1970)) ON CONFLICT (order_id) DO NOTHING"
        ).run()
    }

    /// Whether `order` is known to be cancelled.
    func isCancelled(_ order: UUID) async throws -> Bool {
        try await sql.select().column("order_id").from("cancelled_orders").where("order_id", .equal, SQLBind(order)).first() != nil
    }

    /// Marks payment `id` as owing a refund.
    func oweRefund(_ id: UUID) async throws {
        try await sql.update("payments").set("refund_status", to: SQLBind(RefundStatus.owed)).where("id", .equal, SQLBind(id)).run()
    }

    /// Marks the succeeded payments of `order` that owe nothing yet as owing a refund; returns
    /// whether there was one.
    func oweRefunds(of order: UUID) async throws -> Bool {
        let owing = try await sql.update("payments").set("refund_status", to: SQLBind(RefundStatus.owed))
            .where("order_id", .equal, SQLBind(order)).where("status", .equal, SQLBind(PaymentStatus.succeeded))
            .where("refund_status", .is, SQLLiteral.null)
            .returning("id").all()
        return !owing.isEmpty
    }

    /// Payments owing a refund, oldest change first.
    func owingRefund(limit: Int) async throws -> [PaymentRow] {
        try await sql.select().column("*").from("payments").where("refund_status", .equal, SQLBind(RefundStatus.owed))
            .orderBy("updated_at").limit(limit).all(decoding: PaymentRow.self)
    }

    /// Sets a refund the gateway refused aside for a person.
    func refuseRefund(_ id: UUID) async throws {
        try await sql.update("payments").set("refund_status", to: SQLBind(RefundStatus.refused))
            .where("id", .equal, SQLBind(id)).where("refund_status", .equal, SQLBind(RefundStatus.owed)).run()
    }

    /// Records the refund of a payment that owed one, with its `PaymentRefunded`; false if it
    /// owed none any more.
    func markRefunded(_ payment: PaymentRow, receipt: RefundReceipt, events: OutboxWriter) async throws -> Bool {
        let updated = try await sql.update("payments")
            .set("status", to: SQLBind(PaymentStatus.refunded)).set("refund_status", to: SQLBind(RefundStatus.refunded))
            .set("refund_id", to: SQLBind(receipt.id)).set("updated_at", to: SQLBind(Date().timeIntervalSince1970))
            .where("id", .equal, SQLBind(payment.id)).where("refund_status", .equal, SQLBind(RefundStatus.owed))
            .returning("id").first()
        guard updated != nil else { return false }
        try await events.add(
            PaymentRefunded(
                paymentId: payment.id, refundId: receipt.id, orderId: payment.order_id, customerId: payment.customer_id, amount: payment.money)
        )
        return true
    }
}

/// Whether a payment owes its money back, beside its ``PaymentStatus``.
enum RefundStatus: String, Codable, Sendable {
    /// Its order was cancelled: a refund is owed and the ``RefundDispatcher`` will make it.
    case owed = "pending"
    /// Refunded through the gateway.
    case refunded
    /// The gateway refused the refund: a person must look.
    case refused
}
