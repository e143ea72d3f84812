import Contracts
import EmporiumCore
import FluentKit
import SQLKit

import Foundation

/// Consumes `OrderCancelled`: remembers the order as cancelled (so that a charge completing later
/// is refunded too) and marks its succeeded payment as owing a refund, which the
/// ``RefundDispatcher`` makes once this commits.
struct RefundOnCancellation: EventHandler {
    let refunds: Doorbell

    var eventTypes: [String] { [OrderCancelled.eventType] }

    func handle(_ event: ReceivedEvent, on database: any Database, events: OutboxWriter) async throws {
        let cancellation = try event.decode(OrderCancelled.self).data
        let sql = try database.sql
        try await sql.raw(
            "INSERT INTO cancelled_orders (order_id, cancelled_at) VALUES (\(bind: cancellation.orderId), \(bind: Date().timeIntervalSince1970)) ON CONFLICT (order_id) DO NOTHING"
        ).run()
        let owed = try await sql.raw(
            """
            UPDATE payments SET refund_status = 'pending'
            WHERE order_id = \(bind: cancellation.orderId) AND status = 'succeeded' AND refund_status IS NULL RETURNING id
            """
        ).all()
        if !owed.isEmpty { events.wakeAfterCommit(refunds) }
    }
}
