import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Which database a service uses, from one configuration value.
///
/// - `sqlite:///absolute/path/product.sqlite` or `sqlite:relative/path.sqlite`: a SQLite file.
/// - `sqlite::memory:`: an in-memory SQLite database (tests).
/// - `postgres://user:password@host:5432/database`: PostgreSQL.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    /// A SQLite file at a path.
    case sqliteFile(path: String)
    /// A SQLite database that lives as long as the process.
    case sqliteMemory
    /// A PostgreSQL database at a URL.
    case postgres(url: String)

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
        if case .sqliteFile(let path) = self, path.isEmpty {
            throw InvalidConfiguration(key: key, reason: "the SQLite path is empty")
        }
    }

    /// The location with any password hidden, for logs and start-up output.
    public var description: String {
        switch self {
        case .sqliteFile(let path): return "sqlite:\(path)"
        case .sqliteMemory: return "sqlite::memory:"
        case .postgres(let url):
            guard let at = url.lastIndex(of: "@"), let scheme = url.range(of: "://") else { return url }
            let credentials = url[scheme.upperBound..<at]
            guard let colon = credentials.firstIndex(of: ":") else { return url }
            return url.replacingCharacters(in: colon..<at, with: ":***")
        }
    }

    /// The FluentKit configuration for this location.
    func configurationFactory() throws -> DatabaseConfigurationFactory {
        switch self {
        case .sqliteFile(let path):
            return .sqlite(.file(path))
        case .sqliteMemory:
            return .sqlite(.memory)
        case .postgres(let url):
            return try .postgres(configuration: .init(url: url))
        }
    }
}
