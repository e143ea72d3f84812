public import FluentKit
public import SQLKit

extension Database {
    /// This database as SQLKit sees it. Every driver Emporium uses (SQLite, PostgreSQL) speaks
    /// SQL; the cast fails only for a driver that does not, which would be a programming error.
    public var sql: any SQLDatabase {
        get throws(NotAnSQLDatabase) {
            guard let sql = self as? any SQLDatabase else { throw NotAnSQLDatabase() }
            return sql
        }
    }
}

/// A database driver that does not speak SQL was configured.
public struct NotAnSQLDatabase: Error, CustomStringConvertible {
    /// A sentence for logs.
    public var description: String { "the database driver does not speak SQL" }
}
