public import FluentKit
import Foundation
import SQLKit

/// A message a consumer gave up on, as operators see it.
public struct DeadLetter: Codable, Sendable, Equatable {
    /// What operators have decided about it.
    public enum Status: String, Codable, Sendable, CaseIterable {
        /// Waiting for an operator.
        case dead
        /// An operator asked for it to be handled again; the consumer picks it up.
        case replayRequested = "replay_requested"
        /// Handled after a replay.
        case replayed
        /// An operator decided it needs no handling.
        case discarded
    }

    /// The dead letter's own id.
    public var id: UUID
    /// The consumer that failed (`product.stock-reservation`).
    public var consumer: String
    /// The event's id.
    public var eventID: String
    /// The event's subject (its type).
    public var subject: String
    /// The whole event, as received.
    public var payload: String
    /// The last error, as text.
    public var lastError: String
    /// How many times handling was attempted.
    public var attempts: Int
    /// When it first failed for good.
    public var firstFailedAt: Date
    /// When it last failed.
    public var lastFailedAt: Date
    /// Where it stands.
    public var status: Status
}

/// The dead letters of one service's database: stored by consumers, listed and acted on by
/// operators (`emporium dlq`).
public struct DeadLetterStore: Sendable {
    /// The migrations a consuming service adds to its own (inbox and dead letters).
    public static let migrations: [any Migration] = [CreateInbox(), CreateDeadLetters(), indexInboxByHandledTime]

    let database: any Database

    /// A store over `database`.
    public init(database: any Database) {
        self.database = database
    }

    private var sql: any SQLDatabase {
        get throws { try database.sql }
    }

    /// Records that `consumer` gave up on `message`, or updates the record if it failed before.
    package func store(consumer: String, message: BrokerMessage, error: String, attempts: Int, at time: Date = Date()) async throws {
        let sql = try self.sql
        let existing = try await sql.select().column("id").from("dead_letters")
            .where("consumer", .equal, SQLBind(consumer)).where("event_id", .equal, SQLBind(message.id))
            .first(decoding: IDRow.self)
        if let existing {
            try await sql.update("dead_letters")
                .set("last_error", to: SQLBind(error)).set("attempts", to: SQLBind(attempts))
                .set("last_failed_at", to: SQLBind(time.timeIntervalSince1970)).set("status", to: SQLBind(DeadLetter.Status.dead.rawValue))
                .where("id", .equal, SQLBind(existing.id))
                .run()
        } else {
            try await sql.insert(into: "dead_letters")
                .columns("id", "consumer", "event_id", "subject", "payload", "last_error", "attempts", "first_failed_at", "last_failed_at", "status")
                .values(
                    SQLBind(UUID()), SQLBind(consumer), SQLBind(message.id), SQLBind(message.subject),
                    SQLBind(String(decoding: message.payload, as: UTF8.self)), SQLBind(error), SQLBind(attempts),
                    SQLBind(time.timeIntervalSince1970), SQLBind(time.timeIntervalSince1970), SQLBind(DeadLetter.Status.dead.rawValue)
                )
                .run()
        }
    }

    /// Dead letters, newest failure first, optionally only those with `status`.
    public func list(status: DeadLetter.Status? = nil, consumer: String? = nil) async throws -> [DeadLetter] {
        var query = try sql.select().column("*").from("dead_letters")
        if let status { query = query.where("status", .equal, SQLBind(status.rawValue)) }
        if let consumer { query = query.where("consumer", .equal, SQLBind(consumer)) }
        return try await query.orderBy("last_failed_at", .descending).all(decoding: Row.self).map(\.deadLetter)
    }

    /// One page of dead letters, newest failure first, optionally only those with `status`, and
    /// how many there are in all.
    public func page(status: DeadLetter.Status?, offset: Int, limit: Int) async throws -> (letters: [DeadLetter], total: Int) {
        let sql = try self.sql
        var query = sql.select().column("*").from("dead_letters")
        let total: Int
        if let status {
            query = query.where("status", .equal, SQLBind(status.rawValue))
            total = try await sql.count("SELECT COUNT(*) AS count FROM dead_letters WHERE status = \(bind: status.rawValue)")
        } else {
            total = try await sql.count("SELECT COUNT(*) AS count FROM dead_letters")
        }
        let letters = try await query.orderBy("last_failed_at", .descending).orderBy("id").offset(offset).limit(limit).all(decoding: Row.self)
        return (letters.map(\.deadLetter), total)
    }

    /// How many dead letters `consumer` has with `status`.
    public func count(status: DeadLetter.Status, consumer: String) async throws -> Int {
        try await sql.count("SELECT COUNT(*) AS count FROM dead_letters WHERE status = \(bind: status.rawValue) AND consumer = \(bind: consumer)")
    }

    /// One dead letter by id.
    public func find(_ id: UUID) async throws -> DeadLetter? {
        try await sql.select().column("*").from("dead_letters").where("id", .equal, SQLBind(id)).first(decoding: Row.self)?.deadLetter
    }

    /// Asks the consumer to handle these dead letters again; returns how many were waiting.
    @discardableResult
    public func requestReplay(_ ids: [UUID]? = nil) async throws -> Int {
        try await setStatus(.replayRequested, ids: ids, from: [.dead])
    }

    /// Marks dead letters as needing no handling; returns how many changed.
    @discardableResult
    public func discard(_ ids: [UUID]) async throws -> Int {
        try await setStatus(.discarded, ids: ids, from: [.dead, .replayRequested])
    }

    /// Marks a replayed dead letter as handled, or as dead again with its new error.
    package func finishReplay(_ id: UUID, error: String?, at time: Date = Date()) async throws {
        var update = try sql.update("dead_letters").where("id", .equal, SQLBind(id))
        if let error {
            update = update.set("status", to: SQLBind(DeadLetter.Status.dead.rawValue)).set("last_error", to: SQLBind(error))
                .set("last_failed_at", to: SQLBind(time.timeIntervalSince1970))
                .set(SQLIdentifier("attempts"), to: SQLRaw("attempts + 1"))
        } else {
            update = update.set("status", to: SQLBind(DeadLetter.Status.replayed.rawValue))
        }
        try await update.run()
    }

    private func setStatus(_ status: DeadLetter.Status, ids: [UUID]?, from: [DeadLetter.Status]) async throws -> Int {
        // Only the ids are read: payloads can be large, and only the matching rows change.
        var query = try sql.select().column("id").from("dead_letters")
            .where("status", .in, SQLGroupExpression(SQLList(from.map { SQLBind($0.rawValue) })))
        if let ids {
            guard !ids.isEmpty else { return 0 }
            query = query.where("id", .in, SQLGroupExpression(SQLList(ids.map { SQLBind($0) })))
        }
        let candidates = try await query.all(decoding: IDRow.self).map(\.id)
        guard !candidates.isEmpty else { return 0 }
        try await sql.update("dead_letters")
            .set("status", to: SQLBind(status.rawValue))
            .where("id", .in, SQLGroupExpression(SQLList(candidates.map { SQLBind($0) })))
            .run()
        return candidates.count
    }

    private struct IDRow: Decodable { var id: UUID }

    private struct Row: Decodable {
        var id: UUID
        var consumer: String
        var event_id: String
        var subject: String
        var payload: String
        var last_error: String
        var attempts: Int
        var first_failed_at: Double
        var last_failed_at: Double
        var status: String

        var deadLetter: DeadLetter {
            DeadLetter(
                id: id, consumer: consumer, eventID: event_id, subject: subject, payload: payload, lastError: last_error,
                attempts: attempts, firstFailedAt: Date(timeIntervalSince1970: first_failed_at),
                lastFailedAt: Date(timeIntervalSince1970: last_failed_at), status: DeadLetter.Status(rawValue: status) ?? .dead
            )
        }
    }
}
