import Contracts
import EmporiumCore
import Hummingbird
import SQLKit

/// The caller's own notifications, newest first, with their status.
struct NotificationHandlers: Sendable {
    let resources: ServiceResources

    /// The caller's notifications, a page at a time.
    @Sendable func list(_ request: Request, context: EmporiumRequestContext) async throws -> Contracts.Page<NotificationRepresentation> {
        let caller = try context.requirePrincipal()
        let paging = try EmporiumCore.PageRequest(query: request.uri.queryParameters)
        let store = try NotificationStore(sql: resources.database.reader(logger: context.logger).sql)
        let (rows, total) = try await store.page(of: caller.subject, paging: paging)
        return Contracts.Page(items: rows.map(\.representation), page: paging.page, perPage: paging.perPage, total: total)
    }
}
