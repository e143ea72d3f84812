import FluentKit
import SQLKit

/// How an ``OutboxRelay`` reads its outbox and marks what it published: ``LockingClaims`` on
/// PostgreSQL, ``ReadAhead`` on SQLite (ADR 16).
protocol RelayStrategy {
    /// Publishes the next batch and marks it, or starts marking it; returns how many it published.
    mutating func relayNext() async throws -> Int
    /// The last position published whose marking may still be running (0 when none can be),
    /// so that the backlog gauge does not count rows that have left.
    var publishedUnmarked: Int64 { get }
    /// Settles whatever is in flight, at shutdown.
    mutating func finish() async
}

/// Claims each batch inside a transaction with `FOR UPDATE SKIP LOCKED`, publishes it and marks
/// it before the transaction ends, so that relays sharing one PostgreSQL database take disjoint
/// batches.
struct LockingClaims: RelayStrategy {
    let relay: OutboxRelay

    func relayNext() async throws -> Int {
        try await relay.database.database().transaction { transaction in
            let sql = try transaction.sql
            // Marked rows stay in the unpublished index until VACUUM removes them. An index scan
            // flags each dead entry it meets, so the next one skips it within the index; a bitmap
            // scan, which the planner picks when few rows qualify, flags nothing and visits every
            // dead row's page again (ADR 16 and docs/benchmarks.md have the figures).
            try await sql.raw("SET LOCAL enable_bitmapscan = off").run()
            let rows = try await relay.pending(on: sql, locking: " FOR UPDATE SKIP LOCKED")
            try await relay.publish(rows)
            try await relay.markPublished(rows, on: sql)
            return rows.count
        }
    }

    var publishedUnmarked: Int64 { 0 }

    func finish() async {}
}
