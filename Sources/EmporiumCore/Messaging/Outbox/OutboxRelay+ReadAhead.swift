import SQLiteNIO

extension OutboxRelay {
    /// Where a SQLite relay has published to, and the marking of what it published still running.
    ///
    /// Marking a batch is a write, so under load it waits its turn behind the service's own
    /// transactions; the relay does not wait with it, but reads and publishes the next batch
    /// meanwhile, past the position it has published. That is sound on SQLite only: one writer at
    /// a time (across processes too) takes positions in commit order, so a row never becomes
    /// visible behind the cursor. PostgreSQL takes positions from a sequence, out of commit order.
    struct ReadAhead {
        /// The last position this relay published.
        var cursor: Int64 = 0
        /// Marks every row up to the cursor; one at a time.
        var marking: Task<Void, any Error>?
        /// A SQLite file's connection that only this relay reads through, opened at its first read
        /// (``ServiceDatabase/openSQLiteReadingConnection()``); an in-memory database has none.
        var connection: SQLiteConnection?

        /// Closes the reading connection; the next read opens another.
        mutating func closeConnection() async {
            try? await connection?.close()
            connection = nil
        }
    }

    /// Publishes the batch after the cursor, then starts marking it once the previous marking has
    /// finished; returns how many it published. With nothing to publish it waits for the marking,
    /// so that an idle relay leaves nothing unmarked.
    func relayAhead(_ readAhead: inout ReadAhead) async throws -> Int {
        let sql = try database.database().sql
        // Read on a connection of its own: the writer may be busy with the service's transactions.
        if readAhead.connection == nil { readAhead.connection = try await database.openSQLiteReadingConnection() }
        let rows: [PendingEvent]
        if let connection = readAhead.connection {
            rows = try await pending(on: connection, after: readAhead.cursor)
        } else {
            rows = try await pending(on: try database.reader().sql, locking: "", after: readAhead.cursor)
        }
        guard let last = rows.last else {
            try await settle(&readAhead)
            return 0
        }
        try await publish(rows)
        readAhead.cursor = last.position
        try await settle(&readAhead)
        readAhead.marking = Task { [cursor = readAhead.cursor] in try await markPublished(upTo: cursor, on: sql) }
        return rows.count
    }

    /// Waits for the marking in flight; if it failed, marks again everything published so far.
    func settle(_ readAhead: inout ReadAhead) async throws {
        guard let marking = readAhead.marking else { return }
        readAhead.marking = nil
        do {
            try await marking.value
        } catch {
            try await markPublished(upTo: readAhead.cursor, on: try database.database().sql)
        }
    }

    /// The oldest pending events, up to a batch, after position `after`, through SQLite's own
    /// connection API: the rows come back on the thread that read them, and each column is taken
    /// as it is stored, without a row decoder.
    private func pending(on connection: SQLiteConnection, after: Int64) async throws -> [PendingEvent] {
        let rows = try await connection.query(
            """
            SELECT position, event_id, subject, payload FROM outbox_events
            WHERE published_at IS NULL AND position > ?1
            ORDER BY position LIMIT \(batchSize)
            """,
            [.integer(SQLiteInt64(after))]
        )
        return try rows.map(PendingEvent.init(row:))
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
