import FluentKit
import SQLKit

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

/// Indexes the events still to publish, so that the relay finds them without reading past every
/// published row (PostgreSQL and SQLite both keep partial indexes).
struct IndexUnpublishedOutboxEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { throw OutboxError.notSQL }
        try await sql.raw("CREATE INDEX outbox_events_unpublished ON outbox_events (position) WHERE published_at IS NULL").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { throw OutboxError.notSQL }
        try await sql.raw("DROP INDEX outbox_events_unpublished").run()
    }
}

/// Indexes published events by when they left, so that pruning reads only the rows past their
/// retention instead of the whole outbox.
struct IndexPublishedOutboxEvents: AsyncMigration {
    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { throw OutboxError.notSQL }
        try await sql.raw("CREATE INDEX outbox_events_published ON outbox_events (published_at) WHERE published_at IS NOT NULL").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { throw OutboxError.notSQL }
        try await sql.raw("DROP INDEX outbox_events_published").run()
    }
}
