import FluentKit
import SQLKit

/// A migration that adds one index written in SQL, for what FluentKit's schema builder cannot
/// say (partial indexes); PostgreSQL and SQLite both accept the statements.
struct SQLIndexMigration: AsyncMigration {
    /// The migration's name in the `_fluent_migrations` table: once applied, it must never change.
    let name: String
    /// The index's name.
    let index: String
    /// What follows `CREATE INDEX <index>`: `ON table (columns) [WHERE …]`.
    let definition: String

    func prepare(on database: any Database) async throws {
        try await database.sql.raw("CREATE INDEX \(unsafeRaw: index) \(unsafeRaw: definition)").run()
    }

    func revert(on database: any Database) async throws {
        try await database.sql.raw("DROP INDEX \(unsafeRaw: index)").run()
    }
}

/// Runs `deleteChunk`, which deletes up to `chunk` rows and returns how many, until it deletes
/// fewer; returns how many were deleted in all. Each chunk is a statement of its own, so that a
/// large deletion never holds a SQLite database's one writer for long.
func deleteInChunks(of chunk: Int, _ deleteChunk: () async throws -> Int) async rethrows -> Int {
    var deleted = 0
    while true {
        let count = try await deleteChunk()
        deleted += count
        if count < chunk { return deleted }
    }
}
