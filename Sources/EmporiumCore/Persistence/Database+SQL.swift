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

extension SQLDatabase {
    /// The number a `SELECT COUNT(*) AS count …` query answers (0 when it answers nothing).
    public func count(_ query: SQLQueryString) async throws -> Int {
        try await raw(query).first(decoding: CountRow.self)?.count ?? 0
    }
}

/// The row of a `COUNT(*) AS count` query.
private struct CountRow: Decodable {
    var count: Int
}
