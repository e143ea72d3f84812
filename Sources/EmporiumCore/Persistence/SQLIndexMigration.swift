package import FluentKit
import SQLKit

/// A migration that adds one index written in SQL, for what FluentKit's schema builder cannot
/// say (partial indexes); PostgreSQL and SQLite both accept the statements.
package struct SQLIndexMigration: AsyncMigration {
    /// The migration's name in the `_fluent_migrations` table: once applied, it must never change.
    package let name: String
    /// The index's name.
    package let index: String
    /// What follows `CREATE INDEX <index>`: `ON table (columns) [WHERE …]`.
    package let definition: String

    /// Names the index and the migration that adds it.
    package init(name: String, index: String, definition: String) {
        self.name = name
        self.index = index
        self.definition = definition
    }

    package func prepare(on database: any Database) async throws {
        try await database.sql.raw("CREATE INDEX \(unsafeRaw: index) \(unsafeRaw: definition)").run()
    }

    package func revert(on database: any Database) async throws {
        try await database.sql.raw("DROP INDEX \(unsafeRaw: index)").run()
    }
}
