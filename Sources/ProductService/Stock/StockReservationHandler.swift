import Contracts
import EmporiumCore
import FluentKit
import Foundation
import Logging
import SQLKit

/// The Product Service's side of the checkout saga: an `OrderCreated` reserves stock for every
/// line or for none, answered by `StockReserved` or `StockRejected`; an `OrderCancelled` releases
/// what its order holds.
///
/// Never oversells: the rows are read under a lock (`FOR UPDATE` on PostgreSQL; SQLite runs one
/// transaction at a time), the shortage check and the decrement happen in that same transaction,
/// the decrement is one `UPDATE` conditional on every line's stock, and the table's
/// `CHECK (stock >= 0)` refuses anything that slipped past all that.
struct StockReservationHandler: EventHandler {
    let logger: Logger

    var eventTypes: [String] { [OrderCreated.eventType, OrderCancelled.eventType] }

    func handle(_ event: ReceivedEvent, on database: any Database, events: OutboxWriter) async throws {
        let sql = try database.sql
        switch event.header.type {
        case OrderCreated.eventType:
            try await reserve(try event.decode(OrderCreated.self).data, sql: sql, events: events)
        case OrderCancelled.eventType:
            try await release(try event.decode(OrderCancelled.self).data, sql: sql)
        default:
            throw StockError.unexpectedEvent(event.header.type)
        }
    }

    private struct StockRow: Decodable {
        var id: UUID
        var stock: Int
    }

    private func reserve(_ order: OrderCreated, sql: any SQLDatabase, events: OutboxWriter) async throws {
        if try await sql.raw("SELECT order_id FROM stock_reservations WHERE order_id = \(bind: order.orderId)").first() != nil {
            logger.notice(
                "Order already has a reservation, or was cancelled first; its OrderCreated changes nothing", metadata: ["order": "\(order.orderId)"])
            return
        }
        // One line per product, in a fixed order so that concurrent transactions lock rows alike.
        let wanted = Dictionary(order.lines.map { ($0.productId, $0.quantity) }, uniquingKeysWith: +)
            .map { StockLine(productId: $0.key, quantity: $0.value) }
            .sorted { $0.productId.uuidString < $1.productId.uuidString }
        let ids = SQLGroupExpression(SQLList(wanted.map { SQLBind($0.productId) }))
        let lock = sql.dialect.name == "postgresql" ? " FOR UPDATE" : ""
        let rows = try await sql.raw("SELECT id, stock FROM products WHERE id IN \(ids) AND deleted_at IS NULL ORDER BY id\(unsafeRaw: lock)")
            .all(decoding: StockRow.self)
        let available = Dictionary(rows.map { ($0.id, $0.stock) }, uniquingKeysWith: { first, _ in first })
        let shortages = wanted.compactMap { line -> StockRejected.Shortage? in
            let inStock = available[line.productId] ?? 0
            return line.quantity > 0 && inStock >= line.quantity
                ? nil
                : StockRejected.Shortage(productId: line.productId, requested: line.quantity, available: inStock)
        }
        guard shortages.isEmpty else {
            try await events.add(StockRejected(orderId: order.orderId, shortages: shortages))
            return
        }
        let decrement = cases(wanted)
        let updated = try await sql.raw(
            """
            UPDATE products SET stock = stock - \(decrement), sales_count = sales_count + \(decrement)
            WHERE id IN \(ids) AND deleted_at IS NULL AND stock >= \(decrement)
            RETURNING id
            """
        ).all()
        // The rows are locked, so this cannot differ; if it ever does, roll back and retry.
        guard updated.count == wanted.count else { throw StockError.reservationRaced(order.orderId) }
        try await sql.raw(
            "INSERT INTO stock_reservations (order_id, lines, reserved_at) VALUES (\(bind: order.orderId), \(bind: try Self.encode(wanted)), \(bind: Date().timeIntervalSince1970))"
        ).run()
        try await events.add(StockReserved(orderId: order.orderId, lines: wanted))
    }

    private func release(_ cancellation: OrderCancelled, sql: any SQLDatabase) async throws {
        let now = Date().timeIntervalSince1970
        // What this service reserved, not what the event claims; and only once.
        guard
            let json = try await sql.raw(
                """
                UPDATE stock_reservations SET released_at = \(bind: now)
                WHERE order_id = \(bind: cancellation.orderId) AND released_at IS NULL RETURNING lines
                """
            ).first(decodingColumn: "lines", as: String.self)
        else {
            // Cancelled before its OrderCreated arrived here (events of different types may
            // overtake each other): a released, empty reservation makes that OrderCreated a no-op.
            try await sql.raw(
                """
                INSERT INTO stock_reservations (order_id, lines, reserved_at, released_at)
                VALUES (\(bind: cancellation.orderId), '[]', \(bind: now), \(bind: now)) ON CONFLICT (order_id) DO NOTHING
                """
            ).run()
            return
        }
        let lines = try JSONDecoder().decode([StockLine].self, from: Data(json.utf8))
        let ids = SQLGroupExpression(SQLList(lines.map { SQLBind($0.productId) }))
        let increment = cases(lines)
        try await sql.raw("UPDATE products SET stock = stock + \(increment), sales_count = sales_count - \(increment) WHERE id IN \(ids)").run()
    }

    /// `CASE id WHEN … THEN quantity … END`: each row's own quantity in one statement.
    private func cases(_ lines: [StockLine]) -> SQLQueryString {
        var text: SQLQueryString = "CASE id"
        for line in lines { text += " WHEN \(bind: line.productId) THEN \(literal: line.quantity)" }
        return text + " END"
    }

    private static func encode(_ lines: [StockLine]) throws -> String {
        String(decoding: try JSONEncoder().encode(lines), as: UTF8.self)
    }
}

enum StockError: Error {
    case reservationRaced(UUID)
    case unexpectedEvent(String)
}
