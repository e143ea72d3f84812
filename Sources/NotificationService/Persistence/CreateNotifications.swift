import EmporiumCore
import FluentKit
import SQLKit

/// The recipients projection (who to write to, from user events) and the notifications sent.
struct CreateNotifications: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("recipients")
            .field("user_id", .string, .identifier(auto: false))
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("updated_at", .double, .required)
            .create()
        try await database.schema("notifications")
            .field("id", .uuid, .identifier(auto: false))
            .field("event_id", .string, .required)
            .field("event_type", .string, .required)
            .field("event_payload", .string, .required)
            .field("channel", .string, .required)
            .field("recipient", .string, .required)
            .field("recipient_name", .string, .required)
            .field("user_id", .string, .required)
            .field("kind", .string, .required)
            .field("subject", .string, .required)
            .field("text_body", .string, .required)
            .field("html_body", .string, .required)
            .field("status", .string, .required)
            .field("attempts", .int64, .required)
            .field("last_error", .string)
            .field("next_attempt_at", .double, .required)
            .field("created_at", .double, .required)
            .field("sent_at", .double)
            // Once per event, channel and recipient, however often the event is delivered.
            .unique(on: "event_id", "channel", "recipient")
            .create()
        let sql = try database.sql
        try await sql.create(index: "notifications_by_user").on("notifications").column("user_id").column("created_at").run()
        try await sql.create(index: "notifications_due").on("notifications").column("status").column("next_attempt_at").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("notifications").delete()
        try await database.schema("recipients").delete()
    }
}
