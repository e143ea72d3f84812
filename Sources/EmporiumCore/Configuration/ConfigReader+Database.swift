public import Configuration

extension ConfigReader {
    /// The `database.url` of a scoped configuration, which must be present and valid, with the
    /// pool size `database.max-connections` (PostgreSQL only; at least 1) and
    /// `database.sqlite-synchronous` (a SQLite file only: `full`, the default, or `normal`).
    public func requiredDatabase(scope: String) throws -> DatabaseLocation {
        guard let url = string(forKey: "database.url") else {
            throw InvalidConfiguration(key: "\(scope).database.url", reason: "a database URL is required")
        }
        let location = try DatabaseLocation(url: url, key: "\(scope).database.url")
        let maxConnections = try requiredPositiveOrZeroInt("database.max-connections", scope: scope, default: DatabaseLocation.defaultMaxConnections)
        guard maxConnections >= 1 else {
            throw InvalidConfiguration(key: "\(scope).database.max-connections", reason: "at least one connection is needed, got 0")
        }
        switch location {
        case .postgres(let postgresURL, _):
            return .postgres(url: postgresURL, maxConnections: maxConnections)
        case .sqliteFile(let path, _):
            let text = string(forKey: "database.sqlite-synchronous", default: SQLiteSynchronous.full.rawValue)
            guard let synchronous = SQLiteSynchronous(rawValue: text.uppercased()) else {
                throw InvalidConfiguration(key: "\(scope).database.sqlite-synchronous", reason: "expected full or normal, got \"\(text)\"")
            }
            return .sqliteFile(path: path, synchronous: synchronous)
        case .sqliteMemory:
            return location
        }
    }
}
