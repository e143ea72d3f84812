import Contracts
import EmporiumCore
import FluentKit
import Foundation
import Hummingbird
import SQLKit

/// `GET /api/v1/products/{id}/bought-together?limit=…`: the products ordered most often with
/// product `id` (``CoPurchaseCounter`` counts them), for anyone. Deleted products are left out;
/// an unknown product is a 404.
struct BoughtTogetherReads: Sendable {
    static let defaultLimit = 4
    static let maxLimit = 20

    let database: ServiceDatabase

    @Sendable func list(_ request: Request, context: EmporiumRequestContext) async throws -> BoughtTogether {
        let id = try context.parameters.requireUUID("id", naming: "product")
        let limit = try Self.limit(request.uri.queryParameters.get("limit"))
        let db = database.reader(logger: context.logger)
        guard try await ProductRecord.liveRepresentation(id: id, on: db) != nil else {
            throw Problem(.notFound, detail: "There is no product \(id).")
        }
        let rows = try await db.sql.raw(
            """
            SELECT p.id, p.sku, p.name, p.description, p.category, p.price_amount, p.price_currency, p.stock, c.orders
            FROM co_purchases c JOIN products p ON p.id = c.other_id
            WHERE c.product_id = \(bind: id) AND p.deleted_at IS NULL
            ORDER BY c.orders DESC, p.name, p.id
            LIMIT \(bind: limit)
            """
        ).all()
        let products = try await ProductImageStore(db).attach(
            to: try rows.map { try ProductRecord.representation(of: $0, id: try $0.decode(column: "id", as: UUID.self)) })
        return BoughtTogether(
            items: try zip(products, rows).map { product, row in
                BoughtTogether.Companion(product: product, orderedTogether: try row.decode(column: "orders", as: Int.self))
            })
    }

    static func limit(_ value: String?) throws -> Int {
        guard let value else { return defaultLimit }
        guard let limit = Int(value), (1...maxLimit).contains(limit) else {
            throw Problem(
                .invalidParameter, detail: "limit must be a whole number from 1 to \(maxLimit), got \"\(value.prefix(20))\".", field: "limit")
        }
        return limit
    }
}
