import SQLiteNIO

/// A SQLite relay's strategy: it publishes ahead of its marking.
///
/// Marking a batch is a write, so under load it waits its turn behind the service's own
/// transactions; the relay does not wait with it, but reads and publishes the next batch
/// meanwhile, past the position it has published. That is sound on SQLite only: one writer at a
/// time (across processes too) takes positions in commit order, so a row never becomes visible
/// behind the cursor. PostgreSQL takes positions from a sequence, out of commit order.
struct ReadAhead: RelayStrategy {
    let relay: OutboxRelay
    /// The last position this relay published.
    var cursor: Int64 = 0
    /// Marks every row up to the cursor; one at a time.
    var marking: Task<Void, any Error>?
    /// A SQLite file's connection that only this relay reads through, opened at its first read
    /// (``ServiceDatabase/openSQLiteReadingConnection()``); an in-memory database has none.
    var connection: SQLiteConnection?

    init(relay: OutboxRelay) {
        self.relay = relay
    }

    var publishedUnmarked: Int64 { cursor }

    /// Publishes the batch after the cursor, then starts marking it once the previous marking has
    /// finished; returns how many it published. With nothing to publish it waits for the marking,
    /// so that an idle relay leaves nothing unmarked.
    mutating func relayNext() async throws -> Int {
        let database = relay.database
        let sql = try database.database().sql
        // Read on a connection of its own: the writer may be busy with the service's transactions.
        if connection == nil { connection = try await database.openSQLiteReadingConnection() }
        let rows: [OutboxRelay.PendingEvent]
        if let connection {
            rows = try await pending(on: connection, after: cursor)
        } else {
            rows = try await relay.pending(on: try database.reader().sql, locking: "", after: cursor)
        }
        guard let last = rows.last else {
            try await settle()
            return 0
        }
        try await relay.publish(rows)
        cursor = last.position
        try await settle()
        marking = Task { [relay, cursor] in try await relay.markPublished(upTo: cursor, on: sql) }
        return rows.count
    }

    /// Settles the marking in flight and closes the reading connection.
    mutating func finish() async {
        try? await settle()
        if let connection {
            // Closed outside the relay's task: once that is cancelled (a shutdown that ran out of
            // time), the thread pool drops cancelled work, and a connection never closed traps in
            // its deinit.
            await Task { try? await connection.close() }.value
        }
        connection = nil
    }

    /// Waits for the marking in flight; if it failed, marks again everything published so far.
    mutating func settle() async throws {
        guard let marking else { return }
        self.marking = nil
        do {
            try await marking.value
        } catch {
            try await relay.markPublished(upTo: cursor, on: try relay.database.database().sql)
        }
    }

    /// The oldest pending events, up to a batch, after position `after`, through SQLite's own
    /// connection API: the rows come back on the thread that read them, and each column is taken
    /// as it is stored, without a row decoder.
    private func pending(on connection: SQLiteConnection, after: Int64) async throws -> [OutboxRelay.PendingEvent] {
        let rows = try await connection.query(
            """
            SELECT position, event_id, subject, payload FROM outbox_events
            WHERE published_at IS NULL AND position > ?1
            ORDER BY position LIMIT \(relay.batchSize)
            """,
            [.integer(SQLiteInt64(after))]
        )
        return try rows.map(OutboxRelay.PendingEvent.init(row:))
    }
}

extension OutboxRelay.PendingEvent {
    /// From a row of the outbox read through SQLite directly.
    init(row: SQLiteRow) throws {
        guard let position = row.column("position")?.integer, let eventID = row.column("event_id")?.string,
            let subject = row.column("subject")?.string, let payload = row.column("payload")?.string
        else {
            throw UnreadableOutboxRow(row: "\(row)")
        }
        self.position = Int64(position)
        self.event_id = eventID
        self.subject = subject
        self.payload = payload
    }
}

/// An outbox row without its position, id, subject or payload (a schema this code does not know).
struct UnreadableOutboxRow: Error, CustomStringConvertible {
    let row: String
    var description: String { "an outbox row lacks a column the relay reads: \(row)" }
}
