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

/// The outbox's indexes: the events still to publish, so that the relay finds them without
/// reading past every published row, and the published ones by when they left, so that pruning
/// reads only those past their retention.
enum OutboxIndexes {
    static let unpublished = SQLIndexMigration(
        name: "EmporiumCore.IndexUnpublishedOutboxEvents",
        index: "outbox_events_unpublished",
        definition: "ON outbox_events (position) WHERE published_at IS NULL"
    )
    static let published = SQLIndexMigration(
        name: "EmporiumCore.IndexPublishedOutboxEvents",
        index: "outbox_events_published",
        definition: "ON outbox_events (published_at) WHERE published_at IS NOT NULL"
    )
}

/// Has PostgreSQL vacuum the outbox every 10,000 dead rows rather than once a fifth of the table
/// is dead (its default). The relay marks every row it publishes, and a marked row stays in the
/// unpublished index, which the relay walks from its start, until a vacuum removes it: with a
/// day's retention the default would let millions pile up. Nothing on SQLite, which has no vacuum
/// of this kind.
struct OutboxAutovacuum: AsyncMigration {
    var name: String { "EmporiumCore.OutboxAutovacuum" }

    func prepare(on database: any Database) async throws {
        let sql = try database.sql
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("ALTER TABLE outbox_events SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 10000)").run()
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql
        guard sql.dialect.name == "postgresql" else { return }
        try await sql.raw("ALTER TABLE outbox_events RESET (autovacuum_vacuum_scale_factor, autovacuum_vacuum_threshold)").run()
    }
}
