import Contracts
import EmporiumCore
import FluentKit
import Hummingbird

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The public read side of the catalog: `GET /api/v1/products` and `GET /api/v1/products/{id}`.
struct CatalogRoutes: Sendable {
    let database: ServiceDatabase

    func register(on router: Router<EmporiumRequestContext>) {
        router.resource("/api/v1/products") { routes in
            routes.get(use: list)
        }
        router.resource("/api/v1/products/{id}") { routes in
            routes.get(use: show)
        }
    }

    /// Lists the catalog, ordered by name then id so that pages never overlap or skip.
    @Sendable func list(_ request: Request, context: EmporiumRequestContext) async throws -> Contracts.Page<ProductRepresentation> {
        let paging = try PageRequest(query: request.uri.queryParameters)
        let db = database.database(logger: context.logger)
        let total = try await ProductRecord.query(on: db).count()
        let records = try await ProductRecord.query(on: db)
            .sort(\.$name)
            .sort(\.$id)
            .range(paging.offset..<(paging.offset + paging.perPage))
            .all()
        return Contracts.Page(items: try records.map { try $0.representation() }, page: paging.page, perPage: paging.perPage, total: total)
    }

    /// One product by id; 404 for an id that names none.
    @Sendable func show(_ request: Request, context: EmporiumRequestContext) async throws -> ProductRepresentation {
        let text = try context.parameters.require("id")
        guard let id = UUID(uuidString: text) else {
            throw Problem(.invalidParameter, detail: "The product id must be a UUID, got \"\(text)\".", field: "id")
        }
        guard let record = try await ProductRecord.find(id, on: database.database(logger: context.logger)) else {
            throw Problem(.notFound, detail: "There is no product \(id).")
        }
        return try record.representation()
    }
}
