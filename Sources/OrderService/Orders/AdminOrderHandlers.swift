import Contracts
import EmporiumCore
import Foundation
import Hummingbird

/// The back office's view of orders: every customer's, newest first, filtered by status if asked,
/// and any one order. Admins only; a customer gets 403, where the customer's own routes answer
/// only with the caller's orders.
struct AdminOrderHandlers: Sendable {
    let resources: ServiceResources

    /// `GET /api/v1/admin/orders?status=…`: every order, a page at a time.
    @Sendable func list(_ request: Request, context: EmporiumRequestContext) async throws -> Contracts.Page<OrderRepresentation> {
        _ = try context.requireRole(.admin)
        let query = request.uri.queryParameters
        let paging = try PageRequest(query: query)
        let status = try Self.status(query.get("status"))
        let store = try OrderStore(resources.database.reader(logger: context.logger))
        let (rows, total) = try await store.page(status: status, paging: paging)
        let history = try await store.history(of: rows.map(\.id))
        return Contracts.Page(
            items: try rows.map { try $0.representation(history: history[$0.id] ?? []) }, page: paging.page, perPage: paging.perPage, total: total)
    }

    /// `GET /api/v1/admin/orders/{id}`: any customer's order.
    @Sendable func show(_ request: Request, context: EmporiumRequestContext) async throws -> OrderRepresentation {
        _ = try context.requireRole(.admin)
        let id = try context.parameters.requireUUID("id", naming: "order")
        let store = try OrderStore(resources.database.reader(logger: context.logger))
        guard let row = try await store.find(id) else { throw OrderHandlers.notFound(id) }
        return try await store.representation(of: row)
    }

    /// The status filter, or nil for every status. An empty `status=` is refused like any other
    /// name that is no status: the contract lists the names, and absent is how to ask for all.
    static func status(_ value: String?) throws -> OrderStatus? {
        guard let value else { return nil }
        guard let status = OrderStatus(rawValue: value) else {
            let names = OrderStatus.allCases.map(\.rawValue).joined(separator: ", ")
            throw Problem(.invalidParameter, detail: "status must be one of \(names), got \"\(value.prefix(40))\".", field: "status")
        }
        return status
    }
}
