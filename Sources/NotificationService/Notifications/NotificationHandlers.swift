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
        let sql = try resources.database.reader(logger: context.logger).sql
        let total = try await sql.count("SELECT COUNT(*) AS count FROM notifications WHERE user_id = \(bind: caller.subject)")
        let rows = try await sql.raw(
            """
            SELECT * FROM notifications WHERE user_id = \(bind: caller.subject)
            ORDER BY created_at DESC, id LIMIT \(literal: paging.perPage) OFFSET \(literal: paging.offset)
            """
        ).all(decoding: NotificationRow.self)
        return Contracts.Page(items: rows.map(\.representation), page: paging.page, perPage: paging.perPage, total: total)
    }
}
