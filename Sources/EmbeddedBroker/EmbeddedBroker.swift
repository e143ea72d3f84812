public import EmporiumCore
import FluentKit
public import Logging
public import ServiceLifecycle
import SQLKit

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The embedded mode's message broker: a durable log in its own SQLite file.
///
/// The log, each consumer group's position and every unacknowledged delivery are rows, so a
/// process killed at any point restarts with nothing lost: unacknowledged messages are handed out
/// again once their acknowledgement deadline (`ackWait`) passes. Publishing is idempotent per
/// message id, like JetStream's `Nats-Msg-Id` de-duplication.
public actor EmbeddedBroker: MessageBroker {
    let database: ServiceDatabase
    let ackWait: Duration
    let logger: Logger
    /// Each consumer handle's doorbell with its group's subjects: a publish wakes only the handles
    /// of groups it concerns. (Waking every group for every message cost a write transaction per
    /// group and message — its watermark moving past messages not its own.)
    private var doorbells: [(subjects: Set<String>, bell: Doorbell)] = []

    /// Opens (creating and migrating) the broker's database.
    /// - Parameters:
    ///   - location: Its SQLite file (`broker.sqlite` in the data directory).
    ///   - ackWait: How long a delivered message waits for its acknowledgement before it is redelivered.
    public static func open(location: DatabaseLocation, ackWait: Duration = .seconds(30), logger: Logger) async throws -> EmbeddedBroker {
        let database = try ServiceDatabase(location: location, logger: logger)
        try await database.migrate([CreateBrokerMessages(), CreateBrokerGroups(), CreateBrokerPending()])
        return EmbeddedBroker(database: database, ackWait: ackWait, logger: logger)
    }

    init(database: ServiceDatabase, ackWait: Duration, logger: Logger) {
        self.database = database
        self.ackWait = ackWait
        self.logger = logger
    }

    /// The broker's lifecycle service: it compacts the log every `compactionInterval` and closes
    /// the database at shutdown.
    public nonisolated var service: any Service { BrokerMaintenance(broker: self) }

    /// How long a message is kept after every group is done with it, so that a group added later
    /// still finds recent history (JetStream's stream keeps 7 days the same way).
    public nonisolated var retention: Duration { .seconds(7 * 24 * 3600) }

    /// Deletes the messages that every consumer group has acknowledged and that are older than
    /// `retention`; returns how many. With no group yet, nothing is deleted.
    ///
    /// A group needs everything after its watermark and everything still pending, so the log is
    /// cut below the lowest of those. Positions are AUTOINCREMENT and never reused, so a
    /// watermark stays valid after its messages are gone.
    @discardableResult
    public func compact(olderThan retention: Duration? = nil) async throws -> Int {
        let cutoff = Date().timeIntervalSince1970 - (retention ?? self.retention).seconds
        let sql = try self.sql
        guard
            let needed = try await sql.raw(
                """
                SELECT MIN(COALESCE((SELECT MIN(p.position) - 1 FROM broker_pending p WHERE p.group_name = g.name), g.delivered_through))
                AS delivered_through FROM broker_groups g
                """
            ).first(decoding: OptionalWatermark.self)?.delivered_through
        else { return 0 }
        let doomed = try await sql.raw(
            "SELECT COUNT(*) AS count FROM broker_messages WHERE position <= \(bind: needed) AND published_at < \(bind: cutoff)"
        ).first(decoding: Count.self)?.count ?? 0
        guard doomed > 0 else { return 0 }
        try await sql.delete(from: "broker_messages")
            .where("position", .lessThanOrEqual, SQLBind(needed))
            .where("published_at", .lessThan, SQLBind(cutoff))
            .run()
        return doomed
    }

    /// Closes the broker's database now (outside a service group: tools and tests).
    public func close() async {
        await database.close()
    }

    var sql: any SQLDatabase {
        get throws {
            guard let sql = database.database() as? any SQLDatabase else { throw BrokerStoreError.notSQL }
            return sql
        }
    }

    public func publish(_ messages: [BrokerMessage]) async throws {
        guard !messages.isEmpty else { return }
        let now = SQLBind(Date().timeIntervalSince1970)
        // One statement for the batch; a message id already in the log is skipped (de-duplication).
        var insert = try sql.insert(into: "broker_messages").columns("message_id", "subject", "payload", "published_at")
        for message in messages {
            insert = insert.values(SQLBind(message.id), SQLBind(message.subject), SQLBind(String(decoding: message.payload, as: UTF8.self)), now)
        }
        try await insert.ignoringConflicts(with: ["message_id"]).run()
        let subjects = Set(messages.map(\.subject))
        for (groupSubjects, bell) in doorbells where !groupSubjects.isDisjoint(with: subjects) { bell.ring() }
    }

    public func consumerGroup(_ name: String, subjects: [String]) async throws -> any ConsumerGroup {
        let joined = subjects.sorted().joined(separator: ",")
        // A new group starts at the beginning of the log, as a JetStream durable with DeliverAll
        // does, so events published before its first start still reach it.
        try await sql.insert(into: "broker_groups")
            .columns("name", "subjects", "delivered_through")
            .values(SQLBind(name), SQLBind(joined), SQLBind(Int64(0)))
            .onConflict(with: ["name"]) { $0.set("subjects", to: joined) }
            .run()
        let doorbell = Doorbell()
        doorbells.append((Set(subjects), doorbell))
        return EmbeddedConsumerGroup(broker: self, name: name, subjects: subjects, doorbell: doorbell)
    }

    /// Hands out up to `max` messages due to `group`: redeliveries past their deadline first, then new ones.
    func claim(group: String, subjects: [String], max: Int) async throws -> [Delivery] {
        let now = Date().timeIntervalSince1970
        let visibleAt = now + ackWait.seconds
        return try await database.database().transaction { transaction in
            guard let sql = transaction as? any SQLDatabase else { throw BrokerStoreError.notSQL }
            let due = try await sql.raw(
                """
                SELECT p.position, p.deliveries, m.message_id, m.subject, m.payload
                FROM broker_pending p JOIN broker_messages m ON m.position = p.position
                WHERE p.group_name = \(bind: group) AND p.visible_at <= \(bind: now)
                ORDER BY p.position LIMIT \(bind: max)
                """
            ).all(decoding: LogRow.self)
            if !due.isEmpty {
                try await sql.update("broker_pending")
                    .set(SQLIdentifier("deliveries"), to: SQLRaw("deliveries + 1"))
                    .set("visible_at", to: SQLBind(visibleAt))
                    .where("group_name", .equal, SQLBind(group))
                    .where("position", .in, SQLGroupExpression(SQLList(due.map { SQLBind($0.position) })))
                    .run()
            }
            var deliveries = due.map { $0.delivery(group: group, attempt: Int($0.deliveries ?? 0) + 1) }

            let remaining = max - due.count
            guard remaining > 0 else { return deliveries }
            let position = try await sql.select().column("delivered_through").from("broker_groups")
                .where("name", .equal, SQLBind(group)).first(decoding: Watermark.self)?.delivered_through ?? 0
            let fresh = try await sql.select().columns("position", "message_id", "subject", "payload").from("broker_messages")
                .where("position", .greaterThan, SQLBind(position))
                .where("subject", .in, SQLGroupExpression(SQLList(subjects.map { SQLBind($0) })))
                .orderBy("position").limit(remaining)
                .all(decoding: LogRow.self)
            if !fresh.isEmpty {
                var pending = sql.insert(into: "broker_pending").columns("group_name", "position", "deliveries", "visible_at")
                for row in fresh { pending = pending.values(SQLBind(group), SQLBind(row.position), SQLBind(Int64(1)), SQLBind(visibleAt)) }
                try await pending.run()
            }
            // Past the last message handed out, or past the whole log when fewer matched than asked:
            // messages of other subjects below it are never this group's.
            let newWatermark: Int64
            if fresh.count == remaining, let last = fresh.last {
                newWatermark = last.position
            } else {
                newWatermark = try await sql.raw("SELECT COALESCE(MAX(position), 0) AS delivered_through FROM broker_messages")
                    .first(decoding: Watermark.self)?.delivered_through ?? position
            }
            if newWatermark > position {
                try await sql.update("broker_groups").set("delivered_through", to: SQLBind(newWatermark))
                    .where("name", .equal, SQLBind(group)).run()
            }
            deliveries += fresh.map { $0.delivery(group: group, attempt: 1) }
            return deliveries
        }
    }

    /// When the group's earliest pending message becomes due again, if it has one.
    func nextRedelivery(group: String) async throws -> Double? {
        try await sql.raw("SELECT MIN(visible_at) AS visible_at FROM broker_pending WHERE group_name = \(bind: group)")
            .first(decoding: NextDue.self)?.visible_at
    }

    func settle(_ receipt: EmbeddedReceipt, redeliverAfter delay: Duration?) async throws {
        if let delay {
            try await sql.update("broker_pending")
                .set("visible_at", to: SQLBind(Date().timeIntervalSince1970 + delay.seconds))
                .where("group_name", .equal, SQLBind(receipt.group)).where("position", .equal, SQLBind(receipt.position))
                .run()
        } else {
            try await sql.delete(from: "broker_pending")
                .where("group_name", .equal, SQLBind(receipt.group)).where("position", .equal, SQLBind(receipt.position))
                .run()
        }
    }

    /// Acknowledges several deliveries of `group` in one statement.
    func acknowledge(_ positions: [Int64], group: String) async throws {
        try await sql.delete(from: "broker_pending")
            .where("group_name", .equal, SQLBind(group))
            .where("position", .in, SQLGroupExpression(SQLList(positions.map { SQLBind($0) })))
            .run()
    }

    private struct LogRow: Decodable {
        var position: Int64
        var deliveries: Int64?
        var message_id: String
        var subject: String
        var payload: String

        func delivery(group: String, attempt: Int) -> Delivery {
            Delivery(
                message: BrokerMessage(id: message_id, subject: subject, payload: Array(payload.utf8)),
                attempt: attempt,
                receipt: EmbeddedReceipt(group: group, position: position)
            )
        }
    }

    private struct Watermark: Decodable { var delivered_through: Int64 }
    private struct OptionalWatermark: Decodable { var delivered_through: Int64? }
    private struct Count: Decodable { var count: Int }
    private struct NextDue: Decodable { var visible_at: Double? }
}

/// Identifies a delivery to the embedded broker.
struct EmbeddedReceipt: Sendable {
    let group: String
    let position: Int64
}

enum BrokerStoreError: Error {
    case notSQL
    case foreignReceipt
}

