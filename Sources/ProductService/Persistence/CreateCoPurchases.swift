import FluentKit
import SQLKit

/// How often two products were ordered together: one row per ordered pair, both ways, so that a
/// product's companions are one indexed range.
struct CreateCoPurchases: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("co_purchases")
            .field("product_id", .uuid, .required)
            .field("other_id", .uuid, .required)
            .field("orders", .int, .required)
            .compositeIdentifier(over: "product_id", "other_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("co_purchases").delete()
    }
}
