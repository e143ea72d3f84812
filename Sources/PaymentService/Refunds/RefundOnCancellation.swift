import Contracts
import EmporiumCore
import FluentKit
import Foundation
import SQLKit

/// Consumes `OrderCancelled`: remembers the order as cancelled (so that a charge completing later
/// is refunded too) and marks its succeeded payment as owing a refund, which the
/// ``RefundDispatcher`` makes once this commits.
struct RefundOnCancellation: EventHandler {
    let refunds: Doorbell

    var eventTypes: [String] { [OrderCancelled.eventType] }

    func handle(_ event: ReceivedEvent, on database: any Database, events: OutboxWriter) async throws {
        let cancellation = try event.decode(OrderCancelled.self).data
        let store = try PaymentStore(database)
        try await store.recordCancellation(of: cancellation.orderId)
        if try await store.oweRefunds(of: cancellation.orderId) { events.wakeAfterCommit(refunds) }
    }
}
