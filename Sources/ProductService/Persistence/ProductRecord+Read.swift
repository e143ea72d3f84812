import Contracts
import EmporiumCore
import FluentKit
import Foundation
import SQLKit

extension ProductRecord {
    /// One product as the API shows it, or nil when there is none or it was deleted: the
    /// catalog's most frequent read, in one SQL statement and without a model (ADR 17).
    ///
    /// Through `ProductRecord.find` the same read spent most of its time in FluentKit: reflecting
    /// the model's fields (several times per query), building and serialising the query, and
    /// filling a model. This way the Product Service answers 2.5 times the requests per second.
    static func liveRepresentation(id: UUID, on database: any Database) async throws -> ProductRepresentation? {
        guard
            let row = try await database.sql.raw(
                """
                SELECT sku, name, description, category, price_amount, price_currency, stock FROM products
                WHERE id = \(bind: id) AND deleted_at IS NULL
                """
            ).first()
        else { return nil }
        return try representation(of: row, id: id)
    }

    /// The columns the API shows of `row` (one of the `products` table), as the product `id`.
    static func representation(of row: any SQLRow, id: UUID) throws -> ProductRepresentation {
        ProductRepresentation(
            id: id,
            sku: try row.decode(column: "sku", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            description: try row.decode(column: "description", as: String.self),
            category: try row.decode(column: "category", as: String.self),
            price: Money(
                amount: try row.decode(column: "price_amount", as: Int.self), currency: try row.decode(column: "price_currency", as: String.self)),
            stock: try row.decode(column: "stock", as: Int.self)
        )
    }
}
