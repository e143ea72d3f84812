import EmporiumCore
import FluentKit
import SQLKit

/// Orders and their status history.
///
/// An order's lines and address are JSON columns: they are written once, when the order is
/// placed, and always read with it.
struct CreateOrders: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("orders")
            .field("id", .uuid, .identifier(auto: false))
            .field("customer_id", .string, .required)
            .field("status", .string, .required)
            .field("lines", .string, .required)
            .field("currency", .string, .required)
            .field("subtotal", .int64, .required)
            .field("shipping_amount", .int64, .required)
            .field("total", .int64, .required)
            .field("shipping_service", .string, .required)
            .field("parcel_grams", .int64, .required)
            .field("shipping_address", .string, .required)
            .field("stock_reserved", .bool, .required)
            .field("carrier", .string)
            .field("tracking_number", .string)
            .field("label_url", .string)
            .field("created_at", .double, .required)
            .field("pay_by", .double, .required)
            .create()
        try await database.schema("order_status_changes")
            .field("order_id", .uuid, .required)
            .field("seq", .int64, .required)
            .field("status", .string, .required)
            .field("reason", .string)
            .field("at", .double, .required)
            .compositeIdentifier(over: "order_id", "seq")
            .create()
        let sql = try database.sql
        try await sql.create(index: "orders_by_customer").on("orders").column("customer_id").column("created_at").run()
        try await sql.create(index: "orders_by_status").on("orders").column("status").column("pay_by").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("order_status_changes").delete()
        try await database.schema("orders").delete()
    }
}

/// Remembers, per order, that a carrier label may have to be voided: set when a paid order is
/// cancelled (its shipment may exist at the shipping API without the order knowing: created by a
/// dispatcher that crashed or was still waiting for the answer), cleared once the
/// ``ShipmentVoider`` has made sure no shipment stands for it.
struct AddShipmentVoidOwed: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("orders").field("shipment_void_owed_since", .double).update()
        let sql = try database.sql
        try await sql.raw("CREATE INDEX orders_owing_shipment_void ON orders (shipment_void_owed_since) WHERE shipment_void_owed_since IS NOT NULL")
            .run()
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql
        try await sql.raw("DROP INDEX orders_owing_shipment_void").run()
        try await database.schema("orders").deleteField("shipment_void_owed_since").update()
    }
}

/// Keeps, per order, the trace of the request or event that last changed it, so that what the
/// order service does for it later (creating its shipment) joins that trace.
struct AddOrderTraceparent: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("orders").field("traceparent", .string).update()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("orders").deleteField("traceparent").update()
    }
}
