import Contracts
import EmporiumCore
import Foundation
import Hummingbird

/// The back office's view of payments: those of any one order, every attempt, newest first.
/// Admins only; a customer gets 403, and sees their own through `GET /api/v1/payments`.
struct AdminPaymentHandlers: Sendable {
    let resources: ServiceResources

    /// `GET /api/v1/admin/payments?orderId=…`.
    @Sendable func list(_ request: Request, context: EmporiumRequestContext) async throws -> Contracts.Page<PaymentRepresentation> {
        _ = try context.requireRole(.admin)
        let query = request.uri.queryParameters
        let paging = try PageRequest(query: query)
        guard let value = query.get("orderId"), let order = UUID(uuidString: value) else {
            throw Problem(.invalidParameter, detail: "Name the order whose payments to list with ?orderId=<uuid>.", field: "orderId")
        }
        let (rows, total) = try await PaymentStore(resources.database.reader(logger: context.logger)).page(ofOrder: order, paging: paging)
        return Contracts.Page(items: rows.map(\.representation), page: paging.page, perPage: paging.perPage, total: total)
    }
}
