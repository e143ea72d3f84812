import Contracts
import EmporiumCore
import FluentKit
import Foundation
import SQLKit

/// Counts, from each `OrderCreated`, which products were ordered together: every pair of the
/// order's distinct products gains one, both ways. Its consumer's inbox hands each event over
/// once, and the count is written in the same transaction as the inbox's record of it, so a
/// redelivered event counts once.
///
/// Orders count when placed, whether or not their stock was then reserved: a customer chose
/// those products together either way.
struct CoPurchaseCounter: EventHandler {
    var eventTypes: [String] { [OrderCreated.eventType] }

    func handle(_ event: ReceivedEvent, on database: any Database, events: OutboxWriter) async throws {
        let order = try event.decode(OrderCreated.self).data
        let products = Array(Set(order.lines.map(\.productId))).sorted { $0.uuidString < $1.uuidString }
        guard products.count > 1 else { return }
        let pairs = products.flatMap { product in products.filter { $0 != product }.map { (product, $0) } }
        let values = SQLList(pairs.map { SQLGroupExpression([SQLBind($0.0), SQLBind($0.1), SQLLiteral.numeric("1")]) as any SQLExpression })
        try await database.sql.raw(
            """
            INSERT INTO co_purchases (product_id, other_id, orders) VALUES \(values)
            ON CONFLICT (product_id, other_id) DO UPDATE SET orders = co_purchases.orders + 1
            """
        ).run()
    }
}
