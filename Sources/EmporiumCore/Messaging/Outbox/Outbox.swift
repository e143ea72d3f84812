public import Contracts
public import FluentKit
import ServiceContextModule
import SQLKit
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The transactional outbox of a publishing service.
///
/// Events are written with ``OutboxWriter/add(_:)`` inside the same database transaction as the
/// state change they announce, so that both commit or neither does; after a commit the relay is
/// woken to publish them.
public struct Outbox: Sendable {
    /// The migrations a publishing service adds to its own.
    public static let migrations: [any Migration] = [CreateOutbox(), IndexUnpublishedOutboxEvents()]

    let database: ServiceDatabase
    let doorbell: Doorbell

    /// Creates the outbox of `database`; `doorbell` wakes its relay.
    public init(database: ServiceDatabase, doorbell: Doorbell) {
        self.database = database
        self.doorbell = doorbell
    }

    /// Runs `work` in one transaction with a writer for events; wakes the relay once it commits.
    @discardableResult
    public func transaction<Result: Sendable>(
        _ work: @Sendable @escaping (any Database, OutboxWriter) async throws -> Result
    ) async throws -> Result {
        // FluentKit runs the closure in a task of its own, which does not inherit task-locals:
        // the caller's trace is carried in explicitly.
        let context = ServiceContext.current
        let afterCommit = AfterCommit()
        let result = try await database.database().transaction { transaction in
            try await ServiceContext.$current.withValue(context) {
                try await work(transaction, OutboxWriter(database: transaction, afterCommit: afterCommit))
            }
        }
        doorbell.ring()
        afterCommit.ring()
        return result
    }
}

/// Adds events to the outbox inside a transaction.
public struct OutboxWriter: Sendable {
    let database: any Database
    let afterCommit: AfterCommit

    /// Asks for `doorbell` to be rung once the transaction commits (and not at all if it rolls
    /// back), so that a background duty sees the rows this transaction wrote.
    public func wakeAfterCommit(_ doorbell: Doorbell) {
        afterCommit.add(doorbell)
    }

    /// Writes `event` in a CloudEvents envelope carrying the current trace, and returns the envelope.
    @discardableResult
    public func add<Event: DomainEvent>(_ event: Event, time: Date = Date()) async throws -> CloudEvent<Event> {
        var carrier: [String: String] = [:]
        if let context = ServiceContext.current {
            TraceContextPropagation().inject(context, into: &carrier, using: DictionaryInjector())
        }
        let envelope = CloudEvent(event, time: time, traceparent: carrier[TraceContextPropagation.Key.traceparent])
        let payload = String(decoding: try EventCoding.encoder().encode(envelope), as: UTF8.self)
        guard let sql = database as? any SQLDatabase else { throw OutboxError.notSQL }
        try await sql.insert(into: "outbox_events")
            .columns("event_id", "subject", "payload", "created_at")
            .values(SQLBind(envelope.id), SQLBind(Event.eventType), SQLBind(payload), SQLBind(time.timeIntervalSince1970))
            .run()
        return envelope
    }
}

/// The doorbells a transaction asked to ring once it commits.
final class AfterCommit: Sendable {
    private let doorbells = Mutex<[Doorbell]>([])

    func add(_ doorbell: Doorbell) {
        doorbells.withLock { $0.append(doorbell) }
    }

    /// Rings each requested doorbell once.
    func ring() {
        for doorbell in doorbells.withLock({ $0 }) { doorbell.ring() }
    }
}

/// Why the outbox could not be used.
enum OutboxError: Error {
    /// The database driver does not speak SQL (every driver Emporium uses does).
    case notSQL
}
