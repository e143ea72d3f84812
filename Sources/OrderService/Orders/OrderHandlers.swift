import Contracts
import EmporiumCore
import Foundation
import HTTPTypes
import Hummingbird

/// Reading and cancelling orders: the caller's own orders, newest first, one order, and its
/// cancellation (the owner only; anyone else gets the 404 of an order that does not exist).
struct OrderHandlers: Sendable {
    let resources: ServiceResources
    /// The ``ShipmentVoider``'s, rung when a paid order is cancelled.
    let shipmentVoids: Doorbell

    /// The caller's orders, a page at a time.
    @Sendable func list(_ request: Request, context: EmporiumRequestContext) async throws -> Contracts.Page<OrderRepresentation> {
        let customer = try context.requirePrincipal()
        let paging = try PageRequest(query: request.uri.queryParameters)
        let store = try OrderStore(resources.database.reader(logger: context.logger))
        let (rows, total) = try await store.page(of: customer.subject, paging: paging)
        let history = try await store.history(of: rows.map(\.id))
        return Contracts.Page(
            items: try rows.map { try $0.representation(history: history[$0.id] ?? []) }, page: paging.page, perPage: paging.perPage, total: total)
    }

    /// The owner's order; a service whose token grants ``ServiceScope/readOrders`` may read any.
    @Sendable func show(_ request: Request, context: EmporiumRequestContext) async throws -> OrderRepresentation {
        let caller = try context.requirePrincipal()
        let id = try context.parameters.requireUUID("id", naming: "order")
        let store = try OrderStore(resources.database.reader(logger: context.logger))
        guard let row = try await store.find(id),
            row.customer_id == caller.subject || (caller.isService && caller.scopes.contains(ServiceScope.readOrders))
        else {
            throw Self.notFound(id)
        }
        return try await store.representation(of: row)
    }

    /// Cancels the caller's order unless it has shipped; the `OrderCancelled` it writes releases
    /// the stock and refunds a payment.
    @Sendable func cancel(_ request: Request, context: EmporiumRequestContext) async throws -> OrderRepresentation {
        let customer = try context.requirePrincipal()
        let id = try context.parameters.requireUUID("id", naming: "order")
        return try await resources.outbox.transaction { transaction, events in
            let store = try OrderStore(transaction)
            guard let row = try await store.find(id), row.customer_id == customer.subject else { throw Self.notFound(id) }
            guard let cancelled = try await store.apply(.cancelledByOwner, to: id, events: events) else {
                throw Problem(.orderNotCancellable, detail: "The order is \(row.status.rawValue) and can no longer be cancelled.")
            }
            if row.status == .paid { events.wakeAfterCommit(shipmentVoids) }
            return try await store.representation(of: cancelled)
        }
    }

    static func notFound(_ id: UUID) -> Problem {
        Problem(.notFound, detail: "There is no order \(id).")
    }
}

extension ProblemType {
    /// The order has shipped or is cancelled already.
    static let orderNotCancellable = ProblemType(slug: "order-not-cancellable", title: "The order can no longer be cancelled", status: .conflict)
}
