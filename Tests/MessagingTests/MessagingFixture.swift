import Contracts
import EmbeddedBroker
import EmporiumCore
import FluentKit
import Foundation
import Logging
import MetricsTestKit
import SQLKit
import Synchronization

/// A service database with the outbox, inbox and dead letters, an effects table the test
/// handler writes to, and an embedded broker, all in a temporary directory.
struct MessagingFixture {
    let directory: URL
    let database: ServiceDatabase
    let broker: EmbeddedBroker
    let doorbell = Doorbell()
    let logger = Logger(label: "test")
    let metrics = TestMetrics()

    static func make(ackWait: Duration = .seconds(30)) async throws -> MessagingFixture {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("messaging-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let logger = Logger(label: "test")
        let database = try ServiceDatabase(location: .sqliteFile(path: directory.appendingPathComponent("service.sqlite").path), logger: logger)
        try await database.migrate(Outbox.migrations + DeadLetterStore.migrations + [CreateEffects()])
        let broker = try await EmbeddedBroker.open(
            location: .sqliteFile(path: directory.appendingPathComponent("broker.sqlite").path), ackWait: ackWait, logger: logger)
        return MessagingFixture(directory: directory, database: database, broker: broker)
    }

    var outbox: Outbox { Outbox(database: database, doorbell: doorbell) }

    var relay: OutboxRelay {
        OutboxRelay(
            service: "test", database: database, broker: broker, doorbell: doorbell, metrics: MessagingMetrics(factory: metrics), logger: logger)
    }

    func close() async {
        await broker.close()
        await database.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The trace id each application ran in.
    func traceIDs() async throws -> [String?] {
        let sql = database.database() as! any SQLDatabase
        return try await sql.select().column("trace_id").from("effects").all(decoding: TraceRow.self).map(\.trace_id)
    }

    private struct TraceRow: Decodable { var trace_id: String? }

    /// The order ids the handler has applied, one row per application.
    func effects() async throws -> [String] {
        let sql = database.database() as! any SQLDatabase
        return try await sql.select().column("order_id").from("effects").orderBy("order_id").all(decoding: EffectRow.self).map(\.order_id)
    }

    static func order(_ number: Int) -> OrderShipped {
        OrderShipped(orderId: UUID(), customerId: "customer-\(number)", carrier: "Emporium Post", trackingNumber: "EP\(number)")
    }

    private struct EffectRow: Decodable { var order_id: String }
}

struct CreateEffects: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("effects").field("order_id", .string, .required).field("trace_id", .string).create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("effects").delete()
    }
}

/// A flag flipped by the test and read by the handler on another task.
final class Flag: Sendable {
    private let value = Mutex(false)
    func set(_ newValue: Bool) { value.withLock { $0 = newValue } }
    var isSet: Bool { value.withLock { $0 } }
}

/// Records each `OrderShipped` it applies as a row; fails (after writing, so the rollback shows)
/// while `failing` is set, and always for the tracking number `poison`.
struct RecordingHandler: EventHandler {
    let failing = Flag()
    /// How many times it was called, failed calls included.
    let calls = Calls()
    var poison: String?
    var eventTypes: [String] { [OrderShipped.eventType] }

    func handle(_ event: ReceivedEvent, on database: any Database, events: OutboxWriter) async throws {
        calls.count()
        let shipped = try event.decode(OrderShipped.self)
        let sql = database as! any SQLDatabase
        try await sql.insert(into: "effects").columns("order_id", "trace_id")
            .values(SQLBind(shipped.data.orderId.uuidString), SQLBind(RequestMetadata.current?.traceParent.traceID)).run()
        if failing.isSet || shipped.data.trackingNumber == poison { throw HandlerFailure() }
    }

    struct HandlerFailure: Error {}
}

/// Polls `condition` until it holds or `timeout` passes: for effects that happen in other tasks.
func eventually(timeout: Duration = .seconds(10), _ condition: () async throws -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}

/// A count a handler keeps of its calls.
final class Calls: Sendable {
    private let value = Mutex(0)
    func count() { value.withLock { $0 += 1 } }
    var total: Int { value.withLock { $0 } }
}
