import EmporiumCore
import Foundation
import SQLKit

/// Reads and changes notifications: the one place that holds the Notification Service's SQL for
/// them.
///
/// A notification's life: stored `pending` when its event arrives, claimed `sending` by one
/// instance, then `sent`; a temporary failure puts it back to `pending` for later, a permanent
/// one (or one past its attempts) makes it `failed`, which an operator's replay puts back to
/// `pending`. Statuses are bound as ``NotificationStatus`` itself: no query spells one.
struct NotificationStore: Sendable {
    let sql: any SQLDatabase

    /// Stores `row` unless a notification of the same event, channel and recipient exists.
    func insertOnce(_ row: NotificationRow) async throws {
        try await sql.insert(into: "notifications").model(row, nilEncodingStrategy: .asNil)
            .ignoringConflicts(with: ["event_id", "channel", "recipient"]).run()
    }

    /// A user's notifications, newest first, and how many they have.
    func page(of user: String, paging: EmporiumCore.PageRequest) async throws -> (rows: [NotificationRow], total: Int) {
        let total = try await sql.count("SELECT COUNT(*) AS count FROM notifications WHERE user_id = \(bind: user)")
        let rows = try await sql.select().column("*").from("notifications").where("user_id", .equal, SQLBind(user))
            .orderBy("created_at", .descending).orderBy("id").limit(paging.perPage).offset(paging.offset)
            .all(decoding: NotificationRow.self)
        return (rows, total)
    }

    /// Claims up to `limit` notifications due by `now`, oldest first, counting the attempt.
    ///
    /// One statement claims them. The status is checked again on the updated row, so on
    /// PostgreSQL an instance whose subquery saw a row that another instance claimed first skips it.
    func claimDue(now: Double, limit: Int) async throws -> [NotificationRow] {
        try await sql.raw(
            """
            UPDATE notifications SET status = \(bind: NotificationStatus.sending), attempts = attempts + 1, next_attempt_at = \(bind: now)
            WHERE status = \(bind: NotificationStatus.pending) AND id IN (
                SELECT id FROM notifications WHERE status = \(bind: NotificationStatus.pending) AND next_attempt_at <= \(bind: now)
                ORDER BY created_at LIMIT \(literal: limit)
            ) RETURNING *
            """
        ).all(decoding: NotificationRow.self).sorted { $0.created_at < $1.created_at }
    }

    /// Puts notifications left `sending` since before `cutoff` back to `pending`; returns how many.
    func releaseAbandoned(before cutoff: Double) async throws -> Int {
        try await sql.update("notifications").set("status", to: SQLBind(NotificationStatus.pending))
            .where("status", .equal, SQLBind(NotificationStatus.sending)).where("next_attempt_at", .lessThan, SQLBind(cutoff))
            .returning("id").all().count
    }

    /// Records notification `id` as sent.
    func markSent(_ id: UUID) async throws {
        try await sql.update("notifications").set("status", to: SQLBind(NotificationStatus.sent))
            .set("sent_at", to: SQLBind(Date().timeIntervalSince1970)).set("last_error", to: SQLLiteral.null)
            .where("id", .equal, SQLBind(id)).run()
    }

    /// Gives notification `id` up.
    func markFailed(_ id: UUID, error: String) async throws {
        try await sql.update("notifications").set("status", to: SQLBind(NotificationStatus.failed)).set("last_error", to: SQLBind(error))
            .where("id", .equal, SQLBind(id)).run()
    }

    /// Puts notification `id` back to `pending`, due at `next`.
    func retryLater(_ id: UUID, error: String, at next: Double) async throws {
        try await sql.update("notifications").set("status", to: SQLBind(NotificationStatus.pending)).set("last_error", to: SQLBind(error))
            .set("next_attempt_at", to: SQLBind(next)).where("id", .equal, SQLBind(id)).run()
    }

    /// Makes the failed notification of event `eventID` due again, with its attempts reset.
    func resendFailed(eventID: String) async throws {
        try await sql.update("notifications").set("status", to: SQLBind(NotificationStatus.pending))
            .set("attempts", to: SQLBind(0)).set("next_attempt_at", to: SQLBind(0.0))
            .where("event_id", .equal, SQLBind(eventID)).where("status", .equal, SQLBind(NotificationStatus.failed)).run()
    }
}

/// Where a notification is on its way to the customer.
enum NotificationStatus: String, Codable, Sendable {
    /// Waiting to be sent (or sent again).
    case pending
    /// Claimed by an instance that is sending it.
    case sending
    /// Handed to the mail transport.
    case sent
    /// Given up; its event is a dead letter of `notification.email`.
    case failed
}
