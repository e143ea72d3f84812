import FluentKit

/// Creates the outbox: events written in the same transaction as the state change they announce,
/// waiting for the relay. `position` orders them; `event_id` is unique.
struct CreateOutbox: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("outbox_events")
            .field("position", .int64, .identifier(auto: true))
            .field("event_id", .string, .required)
            .field("subject", .string, .required)
            .field("payload", .string, .required)
            .field("created_at", .double, .required)
            .field("published_at", .double)
            .unique(on: "event_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("outbox_events").delete()
    }
}
