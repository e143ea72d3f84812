import EmporiumCore
import FluentKit
import SQLKit

/// The embedded broker's log: every message once, in publishing order.
struct CreateBrokerMessages: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("broker_messages")
            .field("position", .int64, .identifier(auto: true))
            .field("message_id", .string, .required)
            .field("subject", .string, .required)
            .field("payload", .string, .required)
            .field("published_at", .double, .required)
            .unique(on: "message_id")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("broker_messages").delete()
    }
}

/// Each consumer group: the subjects it takes and how far into the log it has been handed messages.
struct CreateBrokerGroups: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("broker_groups")
            .field("name", .string, .identifier(auto: false))
            .field("subjects", .string, .required)
            .field("delivered_through", .int64, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("broker_groups").delete()
    }
}

/// Messages handed to a group and not yet acknowledged, with when they may be handed out again.
struct CreateBrokerPending: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("broker_pending")
            .field("group_name", .string, .required)
            .field("position", .int64, .required)
            .field("deliveries", .int64, .required)
            .field("visible_at", .double, .required)
            .compositeIdentifier(over: "group_name", "position")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("broker_pending").delete()
    }
}

/// Handing a message out inserts its pending row; this trigger moves the group's watermark in the
/// same statement, so a claim writes once (ADR 5).
struct MoveWatermarkWithPending: AsyncMigration {
    func prepare(on database: any Database) async throws {
        let sql = try database.sql
        try await sql.raw(
            """
            CREATE TRIGGER broker_pending_moves_watermark AFTER INSERT ON broker_pending
            BEGIN
                UPDATE broker_groups SET delivered_through = NEW.position
                WHERE name = NEW.group_name AND delivered_through < NEW.position;
            END
            """
        ).run()
    }

    func revert(on database: any Database) async throws {
        let sql = try database.sql
        try await sql.raw("DROP TRIGGER broker_pending_moves_watermark").run()
    }
}
