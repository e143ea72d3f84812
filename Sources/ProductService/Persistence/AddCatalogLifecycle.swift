import EmporiumCore
import FluentKit
import FluentSQL
import SQLKit

/// Adds what catalog writes need: a version per product (in every `ProductUpdated`), soft
/// deletion, a sales count for the bestselling sort, and a lower-cased search text.
struct AddCatalogLifecycle: AsyncMigration {
    func prepare(on database: any Database) async throws {
        // One column per statement: SQLite's ALTER TABLE adds one column at a time.
        try await database.schema(ProductRecord.schema).field("version", .int64, .required, .sql(.default(1))).update()
        try await database.schema(ProductRecord.schema).field("sales_count", .int64, .required, .sql(.default(0))).update()
        try await database.schema(ProductRecord.schema).field("deleted_at", .datetime).update()
        try await database.schema(ProductRecord.schema).field("search_text", .string, .required, .sql(.default(""))).update()
        let sql = try database.sql
        // Products created before this migration get their search text here; later ones on save.
        try await sql.raw("UPDATE products SET search_text = lower(sku || ' ' || name || ' ' || description)").run()
    }

    func revert(on database: any Database) async throws {
        for field in ["version", "sales_count", "deleted_at", "search_text"] {
            try await database.schema(ProductRecord.schema).deleteField(.key(.string(field))).update()
        }
    }
}
