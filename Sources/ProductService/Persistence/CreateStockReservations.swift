import FluentKit

/// What was reserved for each order, so that a cancellation releases exactly that, once.
struct CreateStockReservations: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("stock_reservations")
            .field("order_id", .uuid, .identifier(auto: false))
            .field("lines", .string, .required)
            .field("reserved_at", .double, .required)
            .field("released_at", .double)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("stock_reservations").delete()
    }
}
