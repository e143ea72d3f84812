import FluentKit

/// The lines of every cart: a visitor's, keyed by their session, or a customer's, keyed by their
/// account, so that it follows them from browser to browser.
struct CreateCartLines: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("cart_lines")
            .field("owner", .string, .required)
            .field("product_id", .string, .required)
            .field("quantity", .int, .required)
            .field("added_at", .double, .required)
            .unique(on: "owner", "product_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("cart_lines").delete()
    }
}
