import EmporiumCore
import Foundation
import Logging

/// Cancels orders left unpaid past their payment window; the `OrderCancelled` each writes
/// releases its stock.
struct OrderExpiry: Sendable {
    let resources: ServiceResources
    let logger: Logger
    /// The wall clock payment windows end on (tests move their own).
    var now: @Sendable () -> Date = { Date() }
    static let batchSize = 100

    /// Expires one batch; returns whether more overdue orders may be waiting.
    func pass() async throws -> Bool {
        let overdue = try await OrderStore(resources.database.database(logger: logger)).overdue(
            now: now().timeIntervalSince1970, limit: Self.batchSize)
        for id in overdue {
            // The order may have been paid or cancelled since it was read: the transition decides.
            let expired = try await resources.outbox.transaction { transaction, events in
                try await OrderStore(transaction).apply(.expired, to: id, events: events) != nil
            }
            if expired { logger.info("Unpaid order expired", metadata: ["order": "\(id)"]) }
        }
        return overdue.count == Self.batchSize
    }
}
