public import EmporiumCore
import Foundation
import Logging
import SQLKit

/// Fresh databases on the PostgreSQL cluster `scripts/test` starts (`EMPORIUM_POSTGRES_URL`).
public enum PostgresTestDatabase {
    /// Thrown when the cluster's URL is not set: such tests fail rather than skip.
    public struct Missing: Error, CustomStringConvertible {
        public var description: String { "EMPORIUM_POSTGRES_URL is not set: run the tests through scripts/test, which starts PostgreSQL" }
    }

    /// Creates a database, runs `body` with its location, and drops it afterwards.
    public static func with(_ body: (DatabaseLocation) async throws -> Void) async throws {
        guard let base = ProcessInfo.processInfo.environment["EMPORIUM_POSTGRES_URL"] else { throw Missing() }
        let name = "test_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16))"
        let admin = try ServiceDatabase(location: DatabaseLocation(url: base), logger: Logger(label: "test"))
        let sql = try admin.database().sql
        try await sql.raw("CREATE DATABASE \(unsafeRaw: name)").run()
        let url = String(base[..<base.lastIndex(of: "/")!]) + "/" + name
        do {
            try await body(try DatabaseLocation(url: url))
        } catch {
            try? await sql.raw("DROP DATABASE \(unsafeRaw: name) WITH (FORCE)").run()
            await admin.close()
            throw error
        }
        try await sql.raw("DROP DATABASE \(unsafeRaw: name) WITH (FORCE)").run()
        await admin.close()
    }
}
