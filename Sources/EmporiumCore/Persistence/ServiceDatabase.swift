public import FluentKit
import FluentPostgresDriver
import FluentSQLiteDriver
import Foundation
public import Logging
import NIOCore
import NIOPosix
import SQLKit
import SQLiteNIO
import ServiceContextModule
public import ServiceLifecycle
import Tracing

/// A service's own database: opened from a ``DatabaseLocation``, migrated at start, and shut down
/// with the service (it is a `Service` to add to the component's group).
public struct ServiceDatabase: Sendable {
    /// FluentKit's registry, which is itself the lifecycle `Service` that closes the pools.
    public let databases: Databases
    /// Where the database lives.
    public let location: DatabaseLocation
    let logger: Logger
    /// The component's tracer: a transaction is a span of the request or event it serves.
    public let tracer: ComponentTracer
    /// A handle made at start, returned once the registry has shut down (when FluentKit gives
    /// none): work that races shutdown then fails with the closed pool's error instead of
    /// crashing the process.
    private let handleAfterShutdown: any Database
    /// Commits concurrent write transactions together (SQLite files only; see ``transaction(_:)``).
    private let groupCommit: GroupCommit?

    /// Opens the database (lazily: connections are made on first use).
    ///
    /// A SQLite file gets exactly one writing connection (one event loop, one connection per
    /// loop): SQLite has one writer at a time anyway, and two connections whose deferred
    /// transactions both upgrade to writing fail with SQLITE_BUSY however long they wait.
    /// Transactions are therefore serialized; code inside a transaction must use the
    /// transaction's handle only. A second connection only reads (``reader(logger:)``).
    ///
    /// - Parameters:
    ///   - writeQueueTimeout: On a SQLite file, how long a write transaction may wait for its turn
    ///     before it is given up with ``DatabaseBusy`` (a 503), as a pool's timeout would.
    ///   - tracer: The component's tracer.
    public init(
        location: DatabaseLocation, writeQueueTimeout: Duration = .seconds(10), tracer: ComponentTracer = .propagationOnly, logger: Logger
    ) throws {
        let id: DatabaseID
        let eventLoops: any EventLoopGroup
        switch location {
        case .sqliteFile, .sqliteMemory:
            id = .sqlite
            eventLoops = MultiThreadedEventLoopGroup.singleton.next()
        case .postgres:
            id = .psql
            eventLoops = MultiThreadedEventLoopGroup.singleton
        }
        let databases = Databases(threadPool: NIOThreadPool.singleton, on: eventLoops)
        let eventLoopCount = eventLoops.makeIterator().reduce(0) { count, _ in count + 1 }
        databases.use(try location.configurationFactory(eventLoopCount: eventLoopCount), as: id, isDefault: true)
        if case .sqliteFile(let path, _) = location {
            // WAL mode (``configureJournal()``) lets this connection read while the other writes.
            databases.use(.sqlite(.file(path)), as: Self.sqliteReaderID, isDefault: false)
        }
        let handleAfterShutdown = databases.database(logger: logger, on: databases.eventLoopGroup.any())!
        self.handleAfterShutdown = handleAfterShutdown
        self.databases = databases
        self.location = location
        self.logger = logger
        self.tracer = tracer
        if case .sqliteFile = location {
            self.groupCommit = GroupCommit(maxWait: writeQueueTimeout) {
                databases.database(logger: logger, on: databases.eventLoopGroup.any()) ?? handleAfterShutdown
            }
        } else {
            // PostgreSQL runs transactions side by side and commits them in groups itself.
            self.groupCommit = nil
        }
    }

    /// Opens the database at `location` and applies `migrations`; if they fail, closes it again
    /// before throwing.
    /// - Parameters:
    ///   - location: Where the database lives.
    ///   - migrations: The schema, in order.
    ///   - tracer: The component's tracer.
    ///   - logger: The component's logger.
    public static func open(
        _ location: DatabaseLocation, migrations: [any Migration], tracer: ComponentTracer = .propagationOnly, logger: Logger
    ) async throws -> ServiceDatabase {
        let database = try ServiceDatabase(location: location, tracer: tracer, logger: logger)
        try await database.prepare { try await database.migrate(migrations) }
        return database
    }

    /// Runs start-up work on the opened database (demo data, keys to load) before anything is
    /// served; if it fails, closes the database before throwing, so that a component that cannot
    /// start leaves no pool open.
    public func prepare(_ work: () async throws -> Void) async throws {
        do {
            try await work()
        } catch {
            await close()
            throw error
        }
    }

    /// Runs `work` in a write transaction, and returns once it has committed.
    ///
    /// On a SQLite file, transactions waiting at once are committed together, each in a savepoint
    /// of its own (``GroupCommit``, ADR 14): one fsync for many, which is what bounded a busy
    /// service. Elsewhere it is FluentKit's transaction. Either way `work` must use only the handle
    /// it is given, and must not start another transaction through this method (it would wait for
    /// the commit it is part of).
    ///
    /// The caller's trace goes on inside `work` (FluentKit runs it in a task of its own, which
    /// does not inherit task-locals), in a span of the transaction when spans are recorded.
    public func transaction<Result: Sendable>(_ work: @escaping @Sendable (any Database) async throws -> Result) async throws -> Result {
        guard let context = ServiceContext.current else { return try await uncarriedTransaction(work) }
        guard tracer.isRecording else {
            return try await uncarriedTransaction { database in try await ServiceContext.$current.withValue(context) { try await work(database) } }
        }
        return try await tracer.withSpan("transaction", context: context, ofKind: .client) { span in
            span.attributes["db.system.name"] = location.systemName
            span.attributes["db.operation.name"] = "transaction"
            let context = span.context
            return try await uncarriedTransaction { database in try await ServiceContext.$current.withValue(context) { try await work(database) } }
        }
    }

    /// A transaction whose work runs with no task-locals.
    private func uncarriedTransaction<Result: Sendable>(_ work: @escaping @Sendable (any Database) async throws -> Result) async throws -> Result {
        if let groupCommit { return try await groupCommit.transaction(work) }
        return try await database().transaction(work)
    }

    /// A handle for queries, logging under `logger`.
    public func database(logger: Logger? = nil) -> any Database {
        databases.database(logger: logger ?? self.logger, on: databases.eventLoopGroup.any()) ?? handleAfterShutdown
    }

    /// A handle for reads that need no transaction, which see the last committed state.
    ///
    /// On a SQLite file it is a second connection, so that a read does not queue behind the
    /// writer's transactions (write-ahead logging lets readers and the writer run side by side);
    /// elsewhere it is ``database(logger:)``. Never write through it: SQLite would make it a
    /// second writer, which fails with SQLITE_BUSY against the first.
    public func reader(logger: Logger? = nil) -> any Database {
        guard case .sqliteFile = location else { return database(logger: logger) }
        return databases.database(Self.sqliteReaderID, logger: logger ?? self.logger, on: databases.eventLoopGroup.any()) ?? handleAfterShutdown
    }

    /// Opens a SQLite file's connection for one reader of its own, outside FluentKit's pools; nil
    /// for other databases. The caller closes it, and must only read through it.
    ///
    /// A pooled handle runs a statement through an event loop to the thread pool and hands each
    /// row back through the loop again; a connection used directly runs on the thread pool and
    /// returns to its task (ADR 16). For a reader that runs all the time (the outbox relay).
    func openSQLiteReadingConnection() async throws -> SQLiteConnection? {
        guard case .sqliteFile(let path, _) = location else { return nil }
        return try await SQLiteConnection.open(
            storage: .file(path: path),
            threadPool: NIOThreadPool.singleton,
            logger: logger,
            on: MultiThreadedEventLoopGroup.singleton.any()
        )
    }

    /// The registry's name for a SQLite file's reading connection.
    static let sqliteReaderID = DatabaseID(string: "sqlite-reader")

    /// Applies every migration not yet applied, in order (after preparing a SQLite file's journal).
    ///
    /// On PostgreSQL, instances that start at once take turns: the migrations run while this
    /// instance holds an advisory lock, so the second finds them applied instead of racing to
    /// create the same tables.
    public func migrate(_ migrations: [any Migration]) async throws {
        try await configureJournal()
        let registry = Migrations()
        registry.add(migrations)
        let migrator = Migrator(databases: databases, migrations: registry, logger: logger, on: databases.eventLoopGroup.any())
        try await holdingMigrationLock {
            try await migrator.setupIfNeeded().get()
            try await migrator.prepareBatch().get()
        }
    }

    /// The advisory lock key of migrations (any constant: each service has a database of its own,
    /// and PostgreSQL scopes advisory locks to a database).
    static let migrationLockKey: Int64 = 0x656D_706F_7269_756D  // "emporium"

    /// Runs `work` while holding the migration lock, on PostgreSQL; as it is, on SQLite (one process).
    private func holdingMigrationLock(_ work: @escaping @Sendable () async throws -> Void) async throws {
        guard case .postgres = location else { return try await work() }
        // A session-level lock belongs to one connection: take and release it on the same one.
        try await database().withConnection { connection in
            let sql = try connection.sql
            try await sql.raw("SELECT pg_advisory_lock(\(literal: Self.migrationLockKey))").run()
            do {
                try await work()
            } catch {
                try? await sql.raw("SELECT pg_advisory_unlock(\(literal: Self.migrationLockKey))").run()
                throw error
            }
            try await sql.raw("SELECT pg_advisory_unlock(\(literal: Self.migrationLockKey))").run()
        }
    }

    /// Closes the connection pools now (outside a service group: start-up failures, tools, tests).
    public func close() async {
        await databases.shutdownAsync()
    }

    /// Puts a SQLite file in write-ahead-log mode: a commit appends to the log instead of rewriting
    /// pages through a rollback journal, and readers never block the writer.
    /// Its commits reach the disk as the location's ``SQLiteSynchronous`` says.
    func configureJournal() async throws {
        guard case .sqliteFile(_, let synchronous) = location else { return }
        let sql = try database().sql
        try await sql.raw("PRAGMA journal_mode=WAL").run()
        try await sql.raw("PRAGMA synchronous=\(unsafeRaw: synchronous.rawValue)").run()
    }

    /// The lifecycle service that closes the connection pools at shutdown.
    public var service: any Service { databases }

    /// A readiness check that runs a trivial query.
    public var readinessCheck: any ReadinessCheck { DatabaseReadinessCheck(database: self) }
}

/// Ready when the database answers `SELECT 1`.
struct DatabaseReadinessCheck: ReadinessCheck {
    let database: ServiceDatabase
    var name: String { "database" }

    func check() async -> CheckResult {
        do {
            try await database.database().sql.raw("SELECT 1").run()
            return .ready()
        } catch {
            // The error text stays in the log: readiness is visible at the public gateway.
            database.logger.warning("Database readiness check failed", metadata: ["error": "\(error)"])
            return .unready("the database did not answer")
        }
    }
}
