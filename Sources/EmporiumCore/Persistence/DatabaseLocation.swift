import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation

/// Which database a service uses, from one configuration value.
///
/// - `sqlite:///absolute/path/product.sqlite` or `sqlite:relative/path.sqlite`: a SQLite file.
/// - `sqlite::memory:`: an in-memory SQLite database (tests).
/// - `postgres://user:password@host:5432/database`: PostgreSQL, with a pool of at most
///   `maxConnections` connections per process (configuration key `database.max-connections`).
///
/// A SQLite file commits with `synchronous` (configuration key `database.sqlite-synchronous`).
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// A SQLite file at a path, committing with `synchronous`.
    case sqliteFile(path: String, synchronous: SQLiteSynchronous = .full)
    /// A SQLite database that lives as long as the process.
    case sqliteMemory
    /// A PostgreSQL database at a URL, reached through at most `maxConnections` connections.
    case postgres(url: String, maxConnections: Int = DatabaseLocation.defaultMaxConnections)

    /// The default pool size of a PostgreSQL database, per process: enough that a request never
    /// waits behind the outbox relay and the consumers, which each hold one connection while they
    /// work; 2 instances × 5 services × 8 stay well under PostgreSQL's default 100 connections.
    public static let defaultMaxConnections = 8

    /// Parses a database URL.
    /// - Throws: ``InvalidConfiguration`` naming `key` for anything else.
    public init(url: String, key: String = "database.url") throws {
        if url == "sqlite::memory:" {
            self = .sqliteMemory
        } else if url.hasPrefix("sqlite://") {
            self = .sqliteFile(path: String(url.dropFirst("sqlite://".count)))
        } else if url.hasPrefix("sqlite:") {
            self = .sqliteFile(path: String(url.dropFirst("sqlite:".count)))
        } else if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            self = .postgres(url: url)
        } else {
            throw InvalidConfiguration(key: key, reason: "expected sqlite:<path>, sqlite::memory: or postgres://…, got \"\(url)\"")
        }
        if case .sqliteFile(let path, _) = self, path.isEmpty {
            throw InvalidConfiguration(key: key, reason: "the SQLite path is empty")
        }
    }

    /// The database system, as OpenTelemetry names it (`db.system.name`).
    public var systemName: String {
        switch self {
        case .sqliteFile, .sqliteMemory: "sqlite"
        case .postgres: "postgresql"
        }
    }

    /// The location with any password hidden, for logs and start-up output.
    public var description: String {
        switch self {
        case .sqliteFile(let path, _): return "sqlite:\(path)"
        case .sqliteMemory: return "sqlite::memory:"
        case .postgres(let url, _):
            guard let at = url.lastIndex(of: "@"), let scheme = url.range(of: "://") else { return url }
            let credentials = url[scheme.upperBound..<at]
            guard let colon = credentials.firstIndex(of: ":") else { return url }
            return url.replacingCharacters(in: colon..<at, with: ":***")
        }
    }

    /// The FluentKit configuration for this location, whose pools live on `eventLoopCount` loops.
    func configurationFactory(eventLoopCount: Int) throws -> DatabaseConfigurationFactory {
        switch self {
        case .sqliteFile(let path, _):
            return .sqlite(.file(path))
        case .sqliteMemory:
            return .sqlite(.memory)
        case .postgres(let url, let maxConnections):
            // FluentKit keeps a pool per event loop: the process-wide limit is shared out among them.
            let perEventLoop = Swift.max(1, maxConnections / Swift.max(eventLoopCount, 1))
            return try .postgres(configuration: .init(url: url), maxConnectionsPerEventLoop: perEventLoop)
        }
    }
}

/// How a SQLite file's commits reach the disk (its `PRAGMA synchronous`).
public enum SQLiteSynchronous: String, Sendable, Equatable, CaseIterable {
    /// Every commit is on disk before it returns.
    case full = "FULL"
    /// Survives a killed process, but may lose the last commits on power loss; much faster.
    case normal = "NORMAL"
}
