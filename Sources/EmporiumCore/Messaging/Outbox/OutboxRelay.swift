import Contracts
import CoreMetrics
import FluentKit
import Foundation
public import Logging
import SQLKit
import ServiceContextModule
public import ServiceLifecycle
import Tracing

/// Publishes a service's outbox to the broker, oldest first, and marks what the broker confirmed.
///
/// How it reads and marks is one of two ``RelayStrategy``s, chosen at start by where the
/// database lives.
///
/// It wakes when the service commits events (``Outbox`` rings its doorbell) and otherwise polls,
/// which picks up rows written by other instances. On PostgreSQL several relays may share one
/// database: each claims its batch with `FOR UPDATE SKIP LOCKED`. A publish that fails leaves the
/// rows unpublished for the next attempt, and the broker's de-duplication by event id makes a
/// repeated publish harmless.
public struct OutboxRelay: Service {
    let database: ServiceDatabase
    let broker: any MessageBroker
    let doorbell: Doorbell
    let batchSize: Int
    let pollInterval: Duration
    let publishedRetention: Duration
    let logger: Logger
    let metrics: MessagingMetrics.Relay

    /// Creates a relay.
    /// - Parameters:
    ///   - service: The publishing service's name, for metrics.
    ///   - database: The publishing service's database.
    ///   - broker: Where events go.
    ///   - doorbell: Rung by the service's ``Outbox`` after each commit.
    ///   - batchSize: The most events read, published and marked at once: under a backlog, each
    ///     batch costs two statements and one broker round trip whatever its size.
    ///   - pollInterval: How often to look when not woken.
    ///   - publishedRetention: How long a published event stays in the outbox (for operators
    ///     tracing what left), before the relay deletes it.
    ///   - metrics: Where its counters and gauges go.
    public init(
        service: String,
        database: ServiceDatabase,
        broker: any MessageBroker,
        doorbell: Doorbell,
        batchSize: Int = 1024,
        pollInterval: Duration = .seconds(1),
        publishedRetention: Duration = .seconds(24 * 3600),
        metrics: MessagingMetrics = MessagingMetrics(),
        logger: Logger
    ) {
        self.database = database
        self.broker = broker
        self.doorbell = doorbell
        self.batchSize = batchSize
        self.pollInterval = pollInterval
        self.publishedRetention = publishedRetention
        self.logger = logger
        self.metrics = metrics.relay(service: service)
    }

    /// Relays until graceful shutdown, then relays what is left once more.
    public func run() async throws {
        // Chores off the publishing path, each at its own pace: under load the relay comes round
        // after every batch, and a query per batch would slow what it measures.
        var backlogSampling = Cadence(every: Self.backlogSampleInterval)
        var pruning = Cadence(every: Self.pruneInterval)
        var strategy = makeStrategy()
        await BackgroundLoop(name: "Outbox relay", logger: logger).run(failureNote: "the events stay queued") {
            let published = try await strategy.relayNext()
            if published == batchSize { return .again }
            if backlogSampling.isDue() { try await recordBacklog(after: strategy.publishedUnmarked) }
            if pruning.isDue() { try await prunePublished() }
            return .wait(doorbell, upTo: pollInterval)
        }
        await strategy.finish()
        _ = try? await relayBatch()
    }

    /// How this relay reads and marks: PostgreSQL, whose relays may be several, claims each batch
    /// with row locks (``LockingClaims``); a SQLite file, which has one, publishes ahead of its
    /// marking (``ReadAhead``).
    func makeStrategy() -> any RelayStrategy {
        if case .postgres = database.location { return LockingClaims(relay: self) }
        return ReadAhead(relay: self)
    }

    /// Publishes one batch of pending events and marks it before returning; returns how many.
    /// On PostgreSQL it claims the batch as ``LockingClaims`` does; elsewhere it reads and marks
    /// without holding a write transaction across the publish.
    @discardableResult
    public func relayBatch() async throws -> Int {
        if case .postgres = database.location { return try await LockingClaims(relay: self).relayNext() }
        let rows = try await pending(on: try database.reader().sql, locking: "")
        try await publish(rows)
        try await markPublished(rows, on: try database.database().sql)
        return rows.count
    }

    /// The oldest pending events, up to a batch, after position `after`.
    func pending(on sql: any SQLDatabase, locking: String, after: Int64 = 0) async throws -> [PendingEvent] {
        try await sql.raw(
            """
            SELECT position, event_id, subject, payload FROM outbox_events
            WHERE published_at IS NULL AND position > \(bind: after)
            ORDER BY position LIMIT \(unsafeRaw: String(batchSize))\(unsafeRaw: locking)
            """
        ).all().map(PendingEvent.init(row:))
    }

    /// Publishes `rows`, returning once the broker has confirmed them all.
    ///
    /// When spans are recorded, each event's publishing is a span of its trace, from the batch's
    /// send to the broker's confirmation: the wait in the outbox shows between the event's
    /// creation and it.
    func publish(_ rows: [PendingEvent]) async throws {
        guard !rows.isEmpty else { return }
        let tracer = database.tracer
        let spans = tracer.isRecording ? rows.compactMap { sendSpan(of: $0, tracer: tracer) } : []
        defer { for span in spans { span.end() } }
        do {
            try await broker.publish(rows.map { BrokerMessage(id: $0.event_id, subject: $0.subject, payload: Array($0.payload.utf8)) })
        } catch {
            for span in spans {
                span.recordError(error)
                span.setStatus(SpanStatus(code: .error))
            }
            throw error
        }
        for (type, published) in Dictionary(grouping: rows, by: \.subject) { metrics.published(type).increment(by: published.count) }
    }

    /// The span of one event's publishing, a child of its creation; nil for an event that
    /// carries no trace.
    private func sendSpan(of row: PendingEvent, tracer: ComponentTracer) -> ComponentSpan? {
        guard let header = try? CloudEventHeader(json: Array(row.payload.utf8)), let traceparent = header.traceparent else { return nil }
        var context = ServiceContext.topLevel
        tracer.extract([TraceContextPropagation.Key.traceparent: traceparent], into: &context, using: DictionaryExtractor())
        let span = tracer.startSpan("send \(row.subject)", context: context, ofKind: .producer)
        MessagingSpanAttributes.describe(span, operation: "send", eventType: row.subject, eventID: row.event_id, subject: header.subject)
        return span
    }

    func markPublished(_ rows: [PendingEvent], on sql: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        try await sql.update("outbox_events")
            .set("published_at", to: SQLBind(Date().timeIntervalSince1970))
            .where("position", .in, SQLGroupExpression(SQLList(rows.map { SQLBind($0.position) })))
            .run()
    }

    /// Marks every unpublished row up to `position`: one range through the unpublished index.
    func markPublished(upTo position: Int64, on sql: any SQLDatabase) async throws {
        try await sql.raw(
            """
            UPDATE outbox_events SET published_at = \(bind: Date().timeIntervalSince1970)
            WHERE published_at IS NULL AND position <= \(bind: position)
            """
        ).run()
    }

    /// How often the backlog gauges are sampled.
    static let backlogSampleInterval = Duration.seconds(1)
    /// How often published events past their retention are deleted.
    static let pruneInterval = Duration.seconds(600)

    /// Deletes the published events older than the retention; returns how many.
    ///
    /// It deletes in chunks of ``pruneChunk`` rows, each its own statement, so that a day of a busy
    /// service's events never holds the database's writer for long.
    @discardableResult
    public func prunePublished() async throws -> Int {
        let sql = try database.database().sql
        let cutoff = Date().timeIntervalSince1970 - publishedRetention.seconds
        let pruned = try await deleteInChunks(of: Self.pruneChunk) {
            try await sql.raw(
                """
                DELETE FROM outbox_events WHERE position IN (
                    SELECT position FROM outbox_events
                    WHERE published_at IS NOT NULL AND published_at <= \(bind: cutoff) LIMIT \(unsafeRaw: String(Self.pruneChunk))
                ) RETURNING position
                """
            ).all(decoding: Position.self).count
        }
        if pruned > 0 { logger.info("Pruned published outbox events", metadata: ["count": "\(pruned)"]) }
        return pruned
    }

    /// The most rows one pruning statement deletes.
    public static let pruneChunk = 5_000

    /// Samples how many events wait and how old the oldest is (after the relay has caught up,
    /// so that the query stays off the publishing path).
    ///
    /// - Parameter cursor: The last position published, when the relay reads ahead: the rows up
    ///   to it may still be unmarked, but they have left.
    func recordBacklog(after cursor: Int64 = 0) async throws {
        let sql = try database.reader().sql
        let backlog = try await sql.raw(
            """
            SELECT COUNT(*) AS depth, MIN(created_at) AS oldest FROM outbox_events
            WHERE published_at IS NULL AND position > \(bind: cursor)
            """
        ).first(decoding: Backlog.self)
        metrics.depth.record(backlog?.depth ?? 0)
        metrics.oldestAge.record(backlog?.oldest.map { Swift.max(0, Date().timeIntervalSince1970 - $0) } ?? 0)
    }

    private struct Position: Decodable { var position: Int64 }

    private struct Backlog: Decodable {
        var depth: Int
        var oldest: Double?
    }

    struct PendingEvent {
        var position: Int64
        var event_id: String
        var subject: String
        var payload: String

        /// Column by column: a `Decodable` row decoder per row was a share of the events
        /// benchmark's CPU (ADR 22).
        init(row: any SQLRow) throws {
            position = try row.decode(column: "position", as: Int64.self)
            event_id = try row.decode(column: "event_id", as: String.self)
            subject = try row.decode(column: "subject", as: String.self)
            payload = try row.decode(column: "payload", as: String.self)
        }
    }
}
