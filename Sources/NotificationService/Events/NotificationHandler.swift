import Contracts
import EmporiumCore
import FluentKit
import Foundation
import SQLKit

/// Consumes every event a customer should hear about: keeps the recipients projection from
/// `UserRegistered`, renders the notification, and stores it `pending` — once per event, channel and
/// recipient — for the ``NotificationDispatcher``, woken when this commits. Sending happens outside
/// this transaction, so a slow mail server never holds the database.
struct NotificationHandler: EventHandler {
    let templates: NotificationTemplates
    let dispatch: Doorbell

    var eventTypes: [String] { NotificationComposer.eventTypes }

    /// The consumer's retries: an order's event may arrive long before its customer's registration
    /// (the User Service restarting, its relay behind), so an event waits for its recipient for
    /// minutes (up to 12 attempts, backoff up to a minute) before it becomes a dead letter. The
    /// default budget, a few seconds, is shorter than a User Service restart.
    static let retry = RetryPolicy(maxAttempts: 12, baseDelay: .seconds(1), maxDelay: .seconds(60))

    func handle(_ event: ReceivedEvent, on database: any Database, events: OutboxWriter) async throws {
        let sql = try database.sql
        let now = Date().timeIntervalSince1970
        if event.header.type == UserRegistered.eventType {
            let user = try event.decode(UserRegistered.self).data
            try await RecipientDirectory(sql: sql).save(userID: user.userId, email: user.email, name: user.name)
        }
        var notice = try NotificationComposer.notice(for: event)
        // Events of different types may overtake each other: an order's event can arrive before
        // its customer's registration. Failing retries it, with backoff, until the recipient is known.
        guard let recipient = try await RecipientDirectory(sql: sql).find(notice.userID) else { throw RecipientUnknown(userID: notice.userID) }
        notice.values["name"] = recipient.name
        let (text, html) = try templates.render(notice.kind, notice.values)
        let row = NotificationRow(
            id: UUID(),
            event_id: event.header.id,
            event_type: event.header.type,
            event_payload: String(decoding: event.json, as: UTF8.self),
            channel: emailChannel,
            recipient: recipient.email,
            recipient_name: recipient.name,
            user_id: notice.userID,
            kind: notice.kind.rawValue,
            subject: notice.kind.subject(notice.values),
            text_body: text,
            html_body: html,
            status: .pending,
            attempts: 0,
            last_error: nil,
            next_attempt_at: now,
            created_at: now,
            sent_at: nil
        )
        try await NotificationStore(sql: sql).insertOnce(row)
        events.wakeAfterCommit(dispatch)
    }
}

/// An event names a user the service has not heard of yet.
struct RecipientUnknown: Error, CustomStringConvertible {
    let userID: String
    var description: String { "no recipient is known for user \(userID) yet (no UserRegistered seen)" }
}
