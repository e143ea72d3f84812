import Contracts
import EmporiumCore
import Logging
import PaymentGateway
import SQLKit

import Foundation

/// Gives back the money of payments that owe a refund: refunds each through the gateway, with a
/// key per payment so that it is refunded once however often this runs, then marks it refunded
/// and writes `PaymentRefunded` in one transaction.
struct RefundDispatcher: Sendable {
    let resources: ServiceResources
    let gateway: any PaymentProcessor
    let logger: Logger
    static let batchSize = 16

    /// Refunds one batch; returns whether more may be waiting.
    func pass() async throws -> Bool {
        let owed = try await resources.database.database(logger: logger).sql.select().column("*").from("payments")
            .where("refund_status", .equal, SQLBind("pending")).orderBy("updated_at").limit(Self.batchSize)
            .all(decoding: PaymentRow.self)
        for payment in owed {
            guard let charge = payment.gateway_reference else { continue }
            let receipt: RefundReceipt
            do {
                receipt = try await gateway.refund(charge: charge, idempotencyKey: "emporium-refund-\(payment.id.uuidString.lowercased())", logger: logger)
            } catch let refusal as PaymentGatewayRefusal {
                // Asking again cannot help: set aside (`refused`) for a person, not retried forever.
                try await resources.database.database(logger: logger).sql
                    .raw("UPDATE payments SET refund_status = 'refused' WHERE id = \(bind: payment.id) AND refund_status = 'pending'").run()
                logger.error("The payment gateway refused a refund; it needs a person", metadata: ["payment": "\(payment.id)", "error": "\(refusal)"])
                continue
            }
            try await resources.outbox.transaction { transaction, events in
                let updated = try await transaction.sql.raw(
                    """
                    UPDATE payments SET status = 'refunded', refund_status = 'refunded', refund_id = \(bind: receipt.id), updated_at = \(bind: Date().timeIntervalSince1970)
                    WHERE id = \(bind: payment.id) AND refund_status = 'pending' RETURNING id
                    """
                ).first()
                guard updated != nil else { return }
                try await events.add(
                    PaymentRefunded(paymentId: payment.id, refundId: receipt.id, orderId: payment.order_id, customerId: payment.customer_id, amount: payment.money)
                )
            }
            logger.info("Payment refunded", metadata: ["payment": "\(payment.id)", "order": "\(payment.order_id)"])
        }
        return owed.count == Self.batchSize
    }
}
