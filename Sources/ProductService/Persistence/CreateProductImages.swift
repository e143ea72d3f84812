import EmporiumCore
import FluentKit

/// The products' pictures, bytes and all, in the service's own database (SQLite `BLOB`,
/// PostgreSQL `bytea`): a shop's few megabytes per product need no store of their own.
struct CreateProductImages: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("product_images")
            .field("id", .uuid, .identifier(auto: false))
            .field("product_id", .uuid, .required)
            .field("position", .int, .required)
            .field("content_type", .string, .required)
            .field("alt", .string, .required)
            .field("etag", .string, .required)
            .field("bytes", .data, .required)
            .field("created_at", .double, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("product_images").delete()
    }
}

/// A page of products reads its pictures by product, in their order: without this index, every
/// catalog call scanned the whole table.
let indexProductImagesByProduct = SQLIndexMigration(
    name: "ProductService.IndexProductImagesByProduct",
    index: "product_images_by_product",
    definition: "ON product_images (product_id, position)"
)
