import Contracts
import EmporiumCore
import FluentKit
import Foundation
import Hummingbird

/// The public read side of the catalog: the list (search, filters, sort, pages) and one product
/// by id, each with its pictures. Deleted products are gone from both.
struct CatalogReads: Sendable {
    let database: ServiceDatabase

    /// Lists the catalog a page at a time, filtered and ordered as ``CatalogQuery`` reads the query.
    @Sendable func list(_ request: Request, context: EmporiumRequestContext) async throws -> Contracts.Page<ProductRepresentation> {
        let paging = try PageRequest(query: request.uri.queryParameters)
        let catalogQuery = try CatalogQuery(query: request.uri.queryParameters)
        let db = database.reader(logger: context.logger)
        let total = try await catalogQuery.apply(to: ProductRecord.query(on: db)).count()
        let records = try await catalogQuery.order(catalogQuery.apply(to: ProductRecord.query(on: db)))
            .range(paging.offset..<(paging.offset + paging.perPage))
            .all()
        let products = try await ProductImageStore(db).attach(to: try records.map { try $0.representation() })
        return Contracts.Page(items: products, page: paging.page, perPage: paging.perPage, total: total)
    }

    /// One product by id; 404 for an id that names none.
    @Sendable func show(_ request: Request, context: EmporiumRequestContext) async throws -> ProductRepresentation {
        let id = try context.parameters.requireUUID("id", naming: "product")
        let db = database.reader(logger: context.logger)
        guard let product = try await ProductRecord.liveRepresentation(id: id, on: db) else {
            throw Problem(.notFound, detail: "There is no product \(id).")
        }
        return try await ProductImageStore(db).attach(to: [product])[0]
    }
}
