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
