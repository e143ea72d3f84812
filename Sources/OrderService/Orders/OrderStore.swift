import Contracts
import EmporiumCore
import FluentKit
import Foundation
import SQLKit

/// An order as stored: one row of `orders`.
struct OrderRow: Codable, Sendable {
    var id: UUID
    var customer_id: String
    var status: OrderStatus
    var lines: String
    var currency: String
    var subtotal: Int
    var shipping_amount: Int
    var total: Int
    var shipping_service: String
    var parcel_grams: Int
    var shipping_address: String
    var stock_reserved: Bool
    var carrier: String?
    var tracking_number: String?
    var label_url: String?
    var created_at: Double
    var pay_by: Double
    /// The trace of the request or event that last changed it.
    var traceparent: String?

    func orderLines() throws -> [OrderLine] { try JSONDecoder().decode([OrderLine].self, from: Data(lines.utf8)) }
    func address() throws -> PostalAddress { try JSONDecoder().decode(PostalAddress.self, from: Data(shipping_address.utf8)) }
    var stockLines: [StockLine] { ((try? orderLines()) ?? []).map { StockLine(productId: $0.productId, quantity: $0.quantity) } }

    /// The API's view of the order.
    func representation(history: [OrderStatusChange]) throws -> OrderRepresentation {
        OrderRepresentation(
            id: id,
            customerId: customer_id,
            status: status,
            lines: try orderLines(),
            subtotal: Money(amount: subtotal, currency: currency),
            shipping: Money(amount: shipping_amount, currency: currency),
            total: Money(amount: total, currency: currency),
            shippingAddress: try address(),
            shipment: tracking_number.map { OrderShipment(carrier: carrier ?? "", trackingNumber: $0, labelUrl: label_url ?? "") },
            statusHistory: history,
            createdAt: Date(timeIntervalSince1970: created_at),
            payBy: Date(timeIntervalSince1970: pay_by)
        )
    }
}

/// Reads and changes orders. An order is placed with ``place(_:lines:events:)``, and every later
/// change of status goes through ``apply(_:to:reason:set:events:)``, which enforces the state
/// machine and records the history; both write the event ``OrderTransition`` says announces it.
///
/// Statuses are stored as ``OrderStatus``'s raw values, bound as the enum itself: no query
/// spells a status.
struct OrderStore: Sendable {
    let sql: any SQLDatabase

    init(_ database: any Database) throws {
        sql = try database.sql
    }

    /// Stores a new order in `pending`, with its first history entry and its `OrderCreated`.
    /// - Parameters:
    ///   - order: The order, in `pending`.
    ///   - lines: Its priced lines (also in `order.lines`, encoded).
    ///   - events: The transaction's outbox.
    func place(_ order: OrderRow, lines: [OrderLine], events: OutboxWriter) async throws {
        try await sql.insert(into: "orders").model(order, nilEncodingStrategy: .asNil).run()
        try await addHistory(order.id, status: .pending, reason: nil, at: order.created_at)
        try await events.add(OrderTransition.placement(of: order, lines: lines), time: Date(timeIntervalSince1970: order.created_at))
    }

    func find(_ id: UUID) async throws -> OrderRow? {
        try await sql.select().column("*").from("orders").where("id", .equal, SQLBind(id)).first(decoding: OrderRow.self)
    }

    /// The history of each of `ids`, oldest first.
    func history(of ids: [UUID]) async throws -> [UUID: [OrderStatusChange]] {
        guard !ids.isEmpty else { return [:] }
        struct Row: Decodable {
            var order_id: UUID
            var status: OrderStatus
            var reason: String?
            var at: Double
        }
        let rows = try await sql.select().columns("order_id", "status", "reason", "at").from("order_status_changes")
            .where("order_id", .in, SQLGroupExpression(SQLList(ids.map { SQLBind($0) })))
            .orderBy("order_id").orderBy("seq")
            .all(decoding: Row.self)
        return Dictionary(grouping: rows, by: \.order_id).mapValues { rows in
            rows.map { OrderStatusChange(status: $0.status, at: Date(timeIntervalSince1970: $0.at), reason: $0.reason) }
        }
    }

    /// One order with its history.
    func representation(of row: OrderRow) async throws -> OrderRepresentation {
        try row.representation(history: try await history(of: [row.id])[row.id] ?? [])
    }

    /// A customer's orders, newest first, and how many they have.
    func page(of customer: String, paging: EmporiumCore.PageRequest) async throws -> (rows: [OrderRow], total: Int) {
        let total = try await sql.count("SELECT COUNT(*) AS count FROM orders WHERE customer_id = \(bind: customer)")
        let rows = try await sql.select().column("*").from("orders").where("customer_id", .equal, SQLBind(customer))
            .orderBy("created_at", .descending).orderBy("id")
            .limit(paging.perPage).offset(paging.offset)
            .all(decoding: OrderRow.self)
        return (rows, total)
    }

    /// Every customer's orders (in `status` only, when given), newest first, and how many there are.
    func page(status: OrderStatus?, paging: EmporiumCore.PageRequest) async throws -> (rows: [OrderRow], total: Int) {
        let total =
            if let status {
                try await sql.count("SELECT COUNT(*) AS count FROM orders WHERE status = \(bind: status)")
            } else {
                try await sql.count("SELECT COUNT(*) AS count FROM orders")
            }
        var select = sql.select().column("*").from("orders")
        if let status { select = select.where("status", .equal, SQLBind(status)) }
        let rows = try await select.orderBy("created_at", .descending).orderBy("id")
            .limit(paging.perPage).offset(paging.offset)
            .all(decoding: OrderRow.self)
        return (rows, total)
    }

    /// Orders in `statuses` whose payment window closed before `now`, oldest first.
    func overdue(now: Double, limit: Int) async throws -> [UUID] {
        struct Row: Decodable { var id: UUID }
        return try await sql.select().column("id").from("orders")
            .where("status", .in, Self.list(OrderTransition.expired.from))
            .where("pay_by", .lessThan, SQLBind(now))
            .orderBy("pay_by").limit(limit)
            .all(decoding: Row.self).map(\.id)
    }

    /// Paid orders waiting for their shipment.
    func awaitingShipment(limit: Int) async throws -> [OrderRow] {
        try await sql.select().column("*").from("orders").where("status", .equal, SQLBind(OrderStatus.paid))
            .orderBy("created_at").limit(limit).all(decoding: OrderRow.self)
    }

    /// Cancelled orders that may still have a carrier label, with when they were cancelled, oldest first.
    func owingShipmentVoid(limit: Int) async throws -> [(id: UUID, since: Double)] {
        struct Row: Decodable {
            var id: UUID
            var shipment_void_owed_since: Double
        }
        return try await sql.select().columns("id", "shipment_void_owed_since").from("orders")
            .where("shipment_void_owed_since", .isNot, SQLLiteral.null)
            .orderBy("shipment_void_owed_since").limit(limit)
            .all(decoding: Row.self).map { ($0.id, $0.shipment_void_owed_since) }
    }

    /// Records that order `id` has no carrier label left standing.
    func settleShipmentVoid(_ id: UUID) async throws {
        try await sql.update("orders").set("shipment_void_owed_since", to: SQLLiteral.null).where("id", .equal, SQLBind(id)).run()
    }

    /// Moves order `id` through `transition` if its status allows it, records the change and writes
    /// the event it announces.
    /// - Parameters:
    ///   - reason: What the history shows beside the status (`card_declined`).
    ///   - set: Other columns the change sets (the tracking number of a shipment).
    ///   - events: The transaction's outbox.
    /// - Returns: The order after the change, or nil if it does not exist or its status does not allow it.
    @discardableResult
    func apply(
        _ transition: OrderTransition,
        to id: UUID,
        reason: String? = nil,
        set columns: [(String, any Encodable & Sendable)] = [],
        events: OutboxWriter
    ) async throws -> OrderRow? {
        var update = sql.update("orders").set("status", to: SQLBind(transition.to))
        if transition == .stockReserved { update = update.set("stock_reserved", to: SQLBind(true)) }
        if transition.to == .cancelled && transition.from.contains(.paid) {
            // SET reads the row as it was: only an order cancelled while paid may have a label.
            update = update.set(
                "shipment_void_owed_since",
                to: SQLQueryString("CASE WHEN status = \(bind: OrderStatus.paid) THEN \(bind: Date().timeIntervalSince1970) ELSE NULL END")
            )
        }
        for (column, value) in columns { update = update.set(SQLIdentifier(column), to: SQLBind(value)) }
        if let trace = RequestMetadata.current?.traceParent { update = update.set("traceparent", to: SQLBind(trace.description)) }
        guard
            let row =
                try await update
                .where("id", .equal, SQLBind(id))
                .where("status", .in, Self.list(transition.from))
                .returning("*")
                .first(decoding: OrderRow.self)
        else { return nil }
        try await addHistory(id, status: transition.to, reason: reason ?? transition.cancellationReason?.rawValue, at: Date().timeIntervalSince1970)
        switch transition.announcement(of: row) {
        case .cancelled(let cancelled): try await events.add(cancelled)
        case .shipped(let shipped): try await events.add(shipped)
        case nil: break
        }
        return row
    }

    private func addHistory(_ id: UUID, status: OrderStatus, reason: String?, at: Double) async throws {
        try await sql.raw(
            """
            INSERT INTO order_status_changes (order_id, seq, status, reason, at)
            SELECT \(bind: id), COALESCE(MAX(seq), 0) + 1, \(bind: status), \(bind: reason), \(bind: at)
            FROM order_status_changes WHERE order_id = \(bind: id)
            """
        ).run()
    }
}

extension OrderStore {
    /// `(…)` of `statuses`, for `status IN`.
    static func list(_ statuses: Set<OrderStatus>) -> SQLGroupExpression {
        SQLGroupExpression(SQLList(statuses.sorted { $0.rawValue < $1.rawValue }.map { SQLBind($0) }))
    }
}

enum OrderStoreError: Error {
    case unexpectedEvent(String)
}
