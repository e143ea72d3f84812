import Contracts
import EmporiumCore
import Foundation
import Logging
import PaymentGateway
import SQLKit

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
        let owed = try await PaymentStore(resources.database.database(logger: logger)).owingRefund(limit: Self.batchSize)
        for payment in owed {
            guard let charge = payment.gateway_reference else { continue }
            let receipt: RefundReceipt
            do {
                receipt = try await gateway.refund(
                    charge: charge, idempotencyKey: "emporium-refund-\(payment.id.uuidString.lowercased())", logger: logger)
            } catch let refusal as PaymentGatewayRefusal {
                // Asking again cannot help: set aside (`refused`) for a person, not retried forever.
                try await PaymentStore(resources.database.database(logger: logger)).refuseRefund(payment.id)
                logger.error(
                    "The payment gateway refused a refund; it needs a person", metadata: ["payment": "\(payment.id)", "error": "\(refusal)"])
                continue
            }
            try await resources.outbox.transaction { transaction, events in
                try await PaymentStore(transaction).markRefunded(payment, receipt: receipt, events: events)
            }
            logger.info("Payment refunded", metadata: ["payment": "\(payment.id)", "order": "\(payment.order_id)"])
        }
        return owed.count == Self.batchSize
    }
}
