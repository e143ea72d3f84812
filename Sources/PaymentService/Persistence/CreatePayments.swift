import Contracts
import EmporiumCore
import FluentKit
import SQLKit

/// Payments, and the orders known to be cancelled (whose payments must be refunded).
struct CreatePayments: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("payments")
            .field("id", .uuid, .identifier(auto: false))
            .field("order_id", .uuid, .required)
            .field("customer_id", .string, .required)
            .field("amount", .int64, .required)
            .field("currency", .string, .required)
            .field("payment_method", .string, .required)
            .field("attempt", .int64, .required)
            .field("status", .string, .required)
            .field("failure_reason", .string)
            .field("gateway_reference", .string)
            .field("refund_status", .string)
            .field("refund_id", .string)
            .field("created_at", .double, .required)
            .field("updated_at", .double, .required)
            .create()
        try await database.schema("cancelled_orders")
            .field("order_id", .uuid, .identifier(auto: false))
            .field("cancelled_at", .double, .required)
            .create()
        let sql = try database.sql
        // At most one charge per order that is in flight or took money: a second concurrent
        // payment is refused by the database, whatever the instances racing.
        try await sql.raw(
            "CREATE UNIQUE INDEX payments_one_charge_per_order ON payments (order_id) WHERE status <> \(literal: PaymentStatus.failed.rawValue)"
        ).run()
        try await sql.create(index: "payments_by_customer").on("payments").column("customer_id").column("created_at").run()
        try await sql.create(index: "payments_by_status").on("payments").column("status").column("updated_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("cancelled_orders").delete()
        try await database.schema("payments").delete()
    }
}
