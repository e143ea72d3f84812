public import Contracts
public import FluentKit
import Foundation
import SQLKit
import ServiceContextModule
import Synchronization
import Tracing

/// The transactional outbox of a publishing service.
///
/// Events are written with ``OutboxWriter/add(_:)`` inside the same database transaction as the
/// state change they announce, so that both commit or neither does; after a commit the relay is
/// woken to publish them.
public struct Outbox: Sendable {
    /// The migrations a publishing service adds to its own.
    public static let migrations: [any Migration] = [CreateOutbox(), OutboxIndexes.unpublished, OutboxIndexes.published, OutboxAutovacuum()]

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
        let afterCommit = AfterCommit()
        let tracer = database.tracer
        let result = try await database.transaction { transaction in
            try await work(transaction, OutboxWriter(database: transaction, afterCommit: afterCommit, tracer: tracer))
        }
        afterCommit.ring(relay: doorbell)
        return result
    }
}

/// Adds events to the outbox inside a transaction.
public struct OutboxWriter: Sendable {
    let database: any Database
    let afterCommit: AfterCommit
    /// Starts each event's producer span, whose context the envelope carries.
    let tracer: ComponentTracer

    /// Asks for `doorbell` to be rung once the transaction commits (and not at all if it rolls
    /// back), so that a background duty sees the rows this transaction wrote.
    public func wakeAfterCommit(_ doorbell: Doorbell) {
        afterCommit.add(doorbell)
    }

    /// Writes `event` in a CloudEvents envelope carrying the current trace, and returns the envelope.
    @discardableResult
    public func add<Event: DomainEvent>(_ event: Event, time: Date = Date()) async throws -> CloudEvent<Event> {
        try await add(contentsOf: [event], time: time)[0]
    }

    /// Writes `events` in order, each in a CloudEvents envelope carrying the current trace, with
    /// one multi-row `INSERT` per ``rowsPerInsert`` events; returns the envelopes.
    ///
    /// A service that announces many changes at once (an import, a batch job) saves a statement
    /// per event: each statement is a round trip to the database's thread, which is what bounds
    /// the outbox under load (docs/benchmarks.md).
    @discardableResult
    public func add<Event: DomainEvent>(contentsOf events: [Event], time: Date = Date()) async throws -> [CloudEvent<Event>] {
        guard !events.isEmpty else { return [] }
        let sql = try database.sql
        let context = ServiceContext.current
        let encoder = EventCoding.encoder()
        var envelopes: [CloudEvent<Event>] = []
        envelopes.reserveCapacity(events.count)
        for chunk in stride(from: 0, to: events.count, by: Self.rowsPerInsert) {
            var rows: [[any Encodable & Sendable]] = []
            for event in events[chunk..<min(chunk + Self.rowsPerInsert, events.count)] {
                var envelope = CloudEvent(event, time: time)
                envelope.traceparent = context.flatMap { traceparent(of: envelope, in: $0) }
                rows.append([envelope.id, String(decoding: try envelope.encodedJSON(payloadEncoder: encoder), as: UTF8.self)])
                envelopes.append(envelope)
            }
            let insert = SharedValuesInsert(
                table: "outbox_events",
                shared: [("subject", Event.eventType), ("created_at", time.timeIntervalSince1970)],
                columns: ["event_id", "payload"],
                rows: rows
            )
            try await sql.execute(sql: insert) { _ in }
        }
        afterCommit.eventWritten()
        return envelopes
    }

    /// The most rows one `INSERT` writes: 2 parameters each stays far below PostgreSQL's 65,535
    /// and the bundled SQLite's limit.
    static let rowsPerInsert = 500

    /// The `traceparent` an event's envelope carries: its producer span's, when spans are
    /// recorded (the span is the event's creation, ended at once; the relay's send and each
    /// consumer's processing are its children), else the current span's.
    private func traceparent<Event: DomainEvent>(of envelope: CloudEvent<Event>, in context: ServiceContext) -> String? {
        guard tracer.isRecording else { return context.requestMetadata?.traceParent.description }
        let span = tracer.startSpan("create \(Event.eventType)", context: context, ofKind: .producer)
        MessagingSpanAttributes.describe(span, operation: "create", eventType: Event.eventType, eventID: envelope.id, subject: envelope.subject)
        span.end()
        return span.identity?.description
    }
}

/// What a transaction asked to wake once it commits: the doorbells of background duties, and the
/// outbox relay when it wrote events.
final class AfterCommit: Sendable {
    private let state = Mutex((doorbells: [Doorbell](), wroteEvents: false))

    func add(_ doorbell: Doorbell) {
        state.withLock { $0.doorbells.append(doorbell) }
    }

    /// Records that the transaction wrote to the outbox.
    func eventWritten() {
        state.withLock { $0.wroteEvents = true }
    }

    /// Rings each requested doorbell once, and `relay` if the transaction wrote events: a commit
    /// without events gives the relay nothing to read.
    func ring(relay: Doorbell?) {
        let (doorbells, wroteEvents) = state.withLock { ($0.doorbells, $0.wroteEvents) }
        if wroteEvents { relay?.ring() }
        for doorbell in doorbells { doorbell.ring() }
    }
}
