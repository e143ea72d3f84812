import FluentKit

/// Creates the inbox: one row per (consumer, event) applied, written in the same transaction as
/// the handler's effects, so that a redelivered event is recognised and has no second effect.
struct CreateInbox: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("inbox_events")
            .field("consumer", .string, .required)
            .field("event_id", .string, .required)
            .field("handled_at", .double, .required)
            .compositeIdentifier(over: "consumer", "event_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("inbox_events").delete()
    }
}

/// Indexes the inbox by when each event was applied, so that pruning reads only the rows past
/// their retention instead of the whole inbox (a week of every event the service consumed).
let indexInboxByHandledTime = SQLIndexMigration(
    name: "EmporiumCore.IndexInboxByHandledTime",
    index: "inbox_events_handled",
    definition: "ON inbox_events (consumer, handled_at)"
)

/// Creates the dead-letter store: messages a consumer gave up on, kept whole for operators.
struct CreateDeadLetters: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("dead_letters")
            .id()
            .field("consumer", .string, .required)
            .field("event_id", .string, .required)
            .field("subject", .string, .required)
            .field("payload", .string, .required)
            .field("last_error", .string, .required)
            .field("attempts", .int64, .required)
            .field("first_failed_at", .double, .required)
            .field("last_failed_at", .double, .required)
            .field("status", .string, .required)
            .unique(on: "consumer", "event_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("dead_letters").delete()
    }
}
