import EmporiumCore
import Foundation
import SQLKit

/// Removes what no browser can reach any more: sessions idle longer than their lifetime, and the
/// carts of visitors whose cookie has expired. A visitor's cookie lasts the idle lifetime from
/// their first visit, which came before any line of their cart, so a line older than that
/// lifetime belongs to a cookie that has expired.
struct SessionSweeper: Sendable {
    let database: ServiceDatabase
    let idleLifetime: Duration

    /// One pass, which removes everything due, so it never asks for another at once.
    @Sendable func pass() async throws -> Bool {
        let cutoff = Date().timeIntervalSince1970 - Double(idleLifetime.components.seconds)
        return try await database.transaction { database in
            let sql = try database.sql
            try await sql.raw("DELETE FROM sessions WHERE seen_at < \(bind: cutoff)").run()
            try await sql.raw("DELETE FROM cart_lines WHERE owner LIKE 'visitor:%' AND added_at < \(bind: cutoff)").run()
            return false
        }
    }
}
