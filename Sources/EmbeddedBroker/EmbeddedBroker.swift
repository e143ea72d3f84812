public import EmporiumCore
import FluentKit
import Foundation
public import Logging
import SQLKit
public import ServiceLifecycle

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
    /// The subjects of every group opened through this broker.
    private var subjects: [String: [String]] = [:]
    /// Each group's rows, as the broker last wrote them; absent until its first claim.
    private var groups: [String: EmbeddedGroupState] = [:]
    private var turns = ClaimTurns()
    /// The highest position in the log.
    private var logEnd: Int64

    /// Opens (creating and migrating) the broker's database.
    /// - Parameters:
    ///   - location: Its SQLite file (`broker.sqlite` in the data directory).
    ///   - ackWait: How long a delivered message waits for its acknowledgement before it is redelivered.
    public static func open(location: DatabaseLocation, ackWait: Duration = .seconds(30), logger: Logger) async throws -> EmbeddedBroker {
        let database = try ServiceDatabase(location: location, logger: logger)
        try await database.migrate([CreateBrokerMessages(), CreateBrokerGroups(), CreateBrokerPending(), MoveWatermarkWithPending()])
        let sql = try database.database().sql
        let logEnd =
            try await sql.raw("SELECT COALESCE(MAX(position), 0) AS position FROM broker_messages").first(decoding: Position.self)?.position ?? 0
        return EmbeddedBroker(database: database, ackWait: ackWait, logEnd: logEnd, logger: logger)
    }

    init(database: ServiceDatabase, ackWait: Duration, logEnd: Int64, logger: Logger) {
        self.database = database
        self.ackWait = ackWait
        self.logEnd = logEnd
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
        try await saveWatermarks()
        let sql = try self.sql
        guard
            let needed = try await sql.raw(
                """
                SELECT MIN(COALESCE((SELECT MIN(p.position) - 1 FROM broker_pending p WHERE p.group_name = g.name), g.delivered_through))
                AS delivered_through FROM broker_groups g
                """
            ).first(decoding: OptionalWatermark.self)?.delivered_through
        else { return 0 }
        let doomed =
            try await sql.raw(
                "SELECT COUNT(*) AS count FROM broker_messages WHERE position <= \(bind: needed) AND published_at < \(bind: cutoff)"
            ).first(decoding: Count.self)?.count ?? 0
        guard doomed > 0 else { return 0 }
        try await sql.delete(from: "broker_messages")
            .where("position", .lessThanOrEqual, SQLBind(needed))
            .where("published_at", .lessThan, SQLBind(cutoff))
            .run()
        return doomed
    }

    /// Writes each group's watermark where it has moved over other subjects' messages only (a
    /// claim writes it when it hands messages out), so that compaction can cut below it.
    func saveWatermarks() async throws {
        for name in groups.keys {
            // In the group's turn: a claim in flight has read messages it has not yet recorded.
            await takeTurn(name)
            defer { passTurn(name) }
            guard let state = groups[name] else { continue }
            // With nothing of its subjects published since a claim last found nothing, the group
            // has had everything up to the end of the log.
            let watermark = state.mayHaveNew ? state.watermark : max(state.watermark, logEnd)
            try await sql.update("broker_groups").set("delivered_through", to: SQLBind(watermark))
                .where("name", .equal, SQLBind(name)).where("delivered_through", .lessThan, SQLBind(watermark))
                .run()
        }
    }

    /// Closes the broker's database now (outside a service group: tools and tests).
    public func close() async {
        try? await saveWatermarks()  // best effort: a lagging watermark only re-skips other subjects
        await database.close()
    }

    var sql: any SQLDatabase {
        get throws { try database.database().sql }
    }

    public func publish(_ messages: [BrokerMessage]) async throws {
        guard !messages.isEmpty else { return }
        let now = SQLBind(Date().timeIntervalSince1970)
        // One statement for the batch; a message id already in the log is skipped (de-duplication).
        var insert = try sql.insert(into: "broker_messages").columns("message_id", "subject", "payload", "published_at")
        for message in messages {
            insert = insert.values(SQLBind(message.id), SQLBind(message.subject), SQLBind(String(decoding: message.payload, as: UTF8.self)), now)
        }
        let stored = try await insert.ignoringConflicts(with: ["message_id"]).returning("position").all(decoding: Position.self)
        logEnd = max(logEnd, stored.map(\.position).max() ?? 0)
        let published = Set(messages.map(\.subject))
        for (name, groupSubjects) in subjects where !published.isDisjoint(with: groupSubjects) { groups[name]?.mayHaveNew = true }
        for (groupSubjects, bell) in doorbells where !groupSubjects.isDisjoint(with: published) { bell.ring() }
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
        if self.subjects[name] != subjects {
            self.subjects[name] = subjects
            groups[name] = nil
        }
        let doorbell = Doorbell()
        doorbells.append((Set(subjects), doorbell))
        return EmbeddedConsumerGroup(broker: self, name: name, doorbell: doorbell)
    }

    /// Hands out up to `max` messages due to `group`: redeliveries past their deadline first, then
    /// new ones. Nothing to hand out costs no statement; new messages cost a read and one insert.
    func claim(group: String, max: Int) async throws -> [Delivery] {
        await takeTurn(group)
        defer { passTurn(group) }
        do {
            var state = try await state(of: group)
            let now = Date().timeIntervalSince1970
            let visibleAt = now + ackWait.seconds
            var deliveries = try await redeliver(state.due(at: now, max: max), of: group, visibleAt: visibleAt)
            let remaining = max - deliveries.count
            // (Read again: a publish may have come while the redeliveries were read.)
            guard remaining > 0, groups[group]?.mayHaveNew ?? true else { return deliveries }

            // Read before the query: whatever the query misses was published after it.
            let logEnd = self.logEnd
            groups[group]?.mayHaveNew = false  // a publish during the query sets it again
            let fresh = try await sql.select().columns("position", "message_id", "subject", "payload").from("broker_messages")
                .where("position", .greaterThan, SQLBind(state.watermark))
                .where("subject", .in, SQLGroupExpression(SQLList(state.subjects.map { SQLBind($0) })))
                .orderBy("position").limit(remaining)
                .all(decoding: LogRow.self)
            if !fresh.isEmpty {
                // One statement: the pending rows, and (by trigger) the group's watermark with them.
                var pending = try sql.insert(into: "broker_pending").columns("group_name", "position", "deliveries", "visible_at")
                for row in fresh { pending = pending.values(SQLBind(group), SQLBind(row.position), SQLBind(Int64(1)), SQLBind(visibleAt)) }
                try await pending.run()
            }
            state = groups[group] ?? state
            for row in fresh { state.pending[row.position] = .init(deliveries: 1, visibleAt: visibleAt) }
            if fresh.count == remaining, let last = fresh.last {
                state.watermark = last.position
                state.mayHaveNew = true  // there may be more past the last one
            } else {
                // Every message of the group's subjects up to logEnd is handed out: skip the rest.
                state.watermark = Swift.max(state.watermark, logEnd, fresh.last?.position ?? 0)
            }
            groups[group] = state
            deliveries += fresh.map { $0.delivery(group: group, attempt: 1) }
            return deliveries
        } catch {
            groups[group] = nil  // reloaded from the rows by the next claim
            throw error
        }
    }

    /// `group`'s messages past its watermark, and those handed out to it and not settled.
    func lag(group: String) async throws -> Int {
        await takeTurn(group)
        defer { passTurn(group) }
        let state = try await state(of: group)
        let waiting =
            try await sql.select().column(SQLFunction("COUNT", args: SQLLiteral.all), as: "count").from("broker_messages")
            .where("position", .greaterThan, SQLBind(state.watermark))
            .where("subject", .in, SQLGroupExpression(SQLList(state.subjects.map { SQLBind($0) })))
            .first(decoding: Count.self)?.count ?? 0
        return waiting + state.pending.count
    }

    /// Hands out again the messages at `positions`, each past its acknowledgement deadline.
    private func redeliver(_ positions: [Int64], of group: String, visibleAt: Double) async throws -> [Delivery] {
        guard !positions.isEmpty else { return [] }
        let list = SQLGroupExpression(SQLList(positions.map { SQLBind($0) }))
        try await sql.update("broker_pending")
            .set(SQLIdentifier("deliveries"), to: SQLRaw("deliveries + 1"))
            .set("visible_at", to: SQLBind(visibleAt))
            .where("group_name", .equal, SQLBind(group))
            .where("position", .in, list)
            .run()
        let rows = try await sql.select().columns("position", "message_id", "subject", "payload").from("broker_messages")
            .where("position", .in, list).orderBy("position")
            .all(decoding: LogRow.self)
        return rows.compactMap { row in
            // An acknowledgement that arrived meanwhile wins: the message is done.
            guard var entry = groups[group]?.pending[row.position] else { return nil }
            entry.deliveries += 1
            entry.visibleAt = visibleAt
            groups[group]?.pending[row.position] = entry
            return row.delivery(group: group, attempt: Int(entry.deliveries))
        }
    }

    /// The group's state, loaded from its rows when the broker has none in memory.
    private func state(of group: String) async throws -> EmbeddedGroupState {
        if let state = groups[group] { return state }
        guard let subjects = subjects[group] else { throw BrokerStoreError.unknownGroup(group) }
        let watermark =
            try await sql.select().column("delivered_through").from("broker_groups")
            .where("name", .equal, SQLBind(group)).first(decoding: Watermark.self)?.delivered_through ?? 0
        let rows = try await sql.select().columns("position", "deliveries", "visible_at").from("broker_pending")
            .where("group_name", .equal, SQLBind(group))
            .all(decoding: PendingRow.self)
        var pending: [Int64: EmbeddedGroupState.Pending] = [:]
        for row in rows { pending[row.position] = .init(deliveries: row.deliveries, visibleAt: row.visible_at) }
        // A pending row above the watermark cannot exist (the trigger moves it), but trust the rows.
        let state = EmbeddedGroupState(subjects: subjects, watermark: Swift.max(watermark, pending.keys.max() ?? 0), pending: pending)
        groups[group] = state
        return state
    }

    private func takeTurn(_ group: String) async {
        await withCheckedContinuation { continuation in
            if turns.take(group, waiter: continuation) { continuation.resume() }
        }
    }

    private func passTurn(_ group: String) {
        turns.pass(group)?.resume()
    }

    /// When the group's earliest pending message becomes due again, if it has one.
    func nextRedelivery(group: String) -> Double? {
        groups[group]?.nextDue
    }

    func settle(_ receipt: EmbeddedReceipt, redeliverAfter delay: Duration?) async throws {
        if let delay {
            let visibleAt = Date().timeIntervalSince1970 + delay.seconds
            try await sql.update("broker_pending")
                .set("visible_at", to: SQLBind(visibleAt))
                .where("group_name", .equal, SQLBind(receipt.group)).where("position", .equal, SQLBind(receipt.position))
                .run()
            groups[receipt.group]?.pending[receipt.position]?.visibleAt = visibleAt
        } else {
            try await acknowledge([receipt.position], group: receipt.group)
        }
    }

    /// Acknowledges several deliveries of `group` in one statement.
    func acknowledge(_ positions: [Int64], group: String) async throws {
        try await sql.delete(from: "broker_pending")
            .where("group_name", .equal, SQLBind(group))
            .where("position", .in, SQLGroupExpression(SQLList(positions.map { SQLBind($0) })))
            .run()
        for position in positions { groups[group]?.pending[position] = nil }
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

    private struct PendingRow: Decodable {
        var position: Int64
        var deliveries: Int64
        var visible_at: Double
    }

    private struct Position: Decodable { var position: Int64 }
    private struct Watermark: Decodable { var delivered_through: Int64 }
    private struct OptionalWatermark: Decodable { var delivered_through: Int64? }
    private struct Count: Decodable { var count: Int }
}

/// Identifies a delivery to the embedded broker.
struct EmbeddedReceipt: Sendable {
    let group: String
    let position: Int64
}

enum BrokerStoreError: Error {
    case foreignReceipt
    case unknownGroup(String)
}
