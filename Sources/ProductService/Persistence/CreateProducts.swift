import FluentKit
import SQLKit

/// Creates the catalog table: a unique SKU, and a check that stock never goes below zero.
struct CreateProducts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ProductRecord.schema)
            .id()
            .field("sku", .string, .required)
            .field("name", .string, .required)
            .field("description", .string, .required)
            .field("category", .string, .required)
            .field("price_amount", .int64, .required)
            .field("price_currency", .string, .required)
            .field("stock", .int64, .required)
            .field("created_at", .datetime)
            .unique(on: "sku")
            .constraint(.constraint(.custom(SQLRaw("CHECK (stock >= 0)")), name: "products_stock_not_negative"))
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProductRecord.schema).delete()
    }
}
