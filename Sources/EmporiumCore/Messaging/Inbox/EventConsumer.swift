import Contracts
import CoreMetrics
import FluentKit
import Foundation
import Instrumentation
public import Logging
import SQLKit
import ServiceContextModule
public import ServiceLifecycle
import Tracing

/// Runs one durable consumer group of a service: fetches its events, applies each at most once
/// with the inbox, retries failures with backoff and jitter, and dead-letters what keeps failing.
///
/// Between batches it also handles dead letters an operator asked to replay.
public struct EventConsumer: Service {
    /// The consumer group's name, `<service>.<purpose>` (`product.stock-reservation`).
    public let name: String
    let handler: any EventHandler
    let database: ServiceDatabase
    let broker: any MessageBroker
    let retry: RetryPolicy
    let batchSize: Int
    let logger: Logger
    let metrics: MessagingMetrics.Consumer
    let tracer: ComponentTracer
    /// The outbox relay's, rung after a commit in which the handler published events, so that they leave at once.
    let doorbell: Doorbell?

    /// Creates a consumer.
    /// - Parameters:
    ///   - name: The consumer group's name, the same for every instance of the service.
    ///   - handler: What to do with each event.
    ///   - database: The consuming service's database (with ``DeadLetterStore/migrations`` applied).
    ///   - broker: Where events come from.
    ///   - retry: Attempts before a dead letter, and the backoff between them.
    ///   - batchSize: The most events fetched and applied in one transaction. Under a backlog a
    ///     large batch spreads one commit and one broker round trip over many events (ADR 22
    ///     has the figure); an idle consumer's batches are only as
    ///     large as what has arrived.
    ///   - metrics: Where its counters go.
    ///   - tracer: Where its spans go: the database's (the component's) unless a test passes its own.
    public init(
        name: String,
        handler: any EventHandler,
        database: ServiceDatabase,
        broker: any MessageBroker,
        retry: RetryPolicy = RetryPolicy(),
        batchSize: Int = 1024,
        metrics: MessagingMetrics = MessagingMetrics(),
        tracer: ComponentTracer? = nil,
        doorbell: Doorbell? = nil,
        logger: Logger
    ) {
        self.name = name
        self.handler = handler
        self.database = database
        self.broker = broker
        self.retry = retry
        self.batchSize = batchSize
        self.metrics = metrics.consumer(name)
        self.tracer = tracer ?? database.tracer
        self.doorbell = doorbell
        var logger = logger
        logger[metadataKey: "consumer"] = "\(name)"
        self.logger = logger
    }

    /// Consumes until graceful shutdown; the batch in hand is finished first.
    ///
    /// A broker or database that cannot be reached (nats-server restarting, PostgreSQL failing
    /// over) does not end the service: the loop logs, waits with a growing backoff, and tries
    /// again, as the outbox relay does. Nothing is lost meanwhile: unacknowledged messages stay
    /// with the broker.
    public func run() async throws {
        var group: (any ConsumerGroup)?
        // An operator asks for replays from another process (`emporium dlq replay`), so nothing
        // can ring this loop: it looks once a second, not on every fetch.
        var replayLook = Cadence(every: Self.replayCheckInterval)
        var inboxPruning = Cadence(every: Self.inboxPruneInterval)
        var deadLetterSampling = Cadence(every: Self.deadLetterSampleInterval)
        var lagSampling = Cadence(every: Self.lagSampleInterval)
        let loop = BackgroundLoop(name: "Consumer \(name)", backoff: .consumerFetch, logger: logger)
        await loop.run(failureNote: "it cannot reach its broker or database; its events wait with the broker") {
            let current: any ConsumerGroup
            if let group {
                current = group
            } else {
                current = try await broker.consumerGroup(name, subjects: handler.eventTypes)
                group = current
            }
            if replayLook.isDue() { try await replayRequestedDeadLetters() }
            if inboxPruning.isDue() { try await pruneInbox() }
            if deadLetterSampling.isDue() { try await recordDeadLettersWaiting() }
            // A broker that cannot say its lag now still delivers: the gauge waits for the next look.
            if lagSampling.isDue(), let lag = try? await current.lag() { metrics.lag.record(lag) }
            // The fetch itself waits for events, up to a second.
            let deliveries = try await current.fetch(max: batchSize, wait: .seconds(1))
            await process(deliveries, in: current)
            return .again
        }
    }

    /// Applies a fetched batch in one transaction and acknowledges it at once; if any event of it
    /// fails, the batch is rolled back and each delivery is processed alone, so that only the
    /// failing one is retried.
    func process(_ deliveries: [Delivery], in group: any ConsumerGroup) async {
        guard deliveries.count > 1 else {
            for delivery in deliveries { await process(delivery, in: group) }
            return
        }
        let applied: [Bool]
        do {
            applied = try await apply(deliveries.map(\.message))
        } catch {
            for delivery in deliveries { await process(delivery, in: group) }
            return
        }
        for (delivery, wasApplied) in zip(deliveries, applied) {
            (wasApplied ? metrics.handled : metrics.duplicate)(delivery.message.subject).increment()
        }
        do {
            try await group.ack(deliveries)
        } catch {
            // Unacknowledged, they come back after the ack deadline and the inbox absorbs them.
            logger.error("Could not acknowledge a handled batch", metadata: ["count": "\(deliveries.count)", "error": "\(error)"])
        }
    }

    /// Applies one delivery and settles it with the broker.
    func process(_ delivery: Delivery, in group: any ConsumerGroup) async {
        let message = delivery.message
        do {
            if try await apply(message) {
                metrics.handled(message.subject).increment()
            } else {
                metrics.duplicate(message.subject).increment()
                logger.debug("Duplicate event acknowledged without effect", metadata: ["event-id": "\(message.id)"])
            }
            try await group.ack(delivery)
        } catch {
            let finalAttempt = error is UnreadableEvent || delivery.attempt >= retry.maxAttempts
            do {
                if finalAttempt {
                    try await DeadLetterStore(database: database.database())
                        .store(consumer: name, message: message, error: String(describing: error), attempts: delivery.attempt)
                    metrics.deadLettered(message.subject).increment()
                    logger.error(
                        "Event dead-lettered", metadata: ["event-id": "\(message.id)", "attempts": "\(delivery.attempt)", "error": "\(error)"])
                    try await group.ack(delivery)
                    try await recordDeadLettersWaiting()
                } else {
                    let delay = retry.delay(afterAttempt: delivery.attempt)
                    logger.warning(
                        "Event handling failed; retrying",
                        metadata: ["event-id": "\(message.id)", "attempt": "\(delivery.attempt)", "error": "\(error)"]
                    )
                    try await group.nak(delivery, redeliverAfter: delay)
                    metrics.retried(message.subject).increment()
                }
            } catch {
                // The broker redelivers an unsettled message after its ack deadline; the inbox and
                // the dead-letter store's uniqueness make that harmless.
                logger.error("Could not settle a failed event", metadata: ["event-id": "\(message.id)", "error": "\(error)"])
            }
        }
    }

    /// Applies `message` unless the inbox shows it was applied; returns whether it was.
    func apply(_ message: BrokerMessage) async throws -> Bool {
        try await apply([message])[0]
    }

    /// Applies `messages` in one transaction, skipping those the inbox shows as applied; returns,
    /// for each, whether it was applied now. Any failure rolls back all of them.
    func apply(_ messages: [BrokerMessage]) async throws -> [Bool] {
        let events = try messages.map { message in
            do {
                let header = try CloudEventHeader(json: message.payload)
                return ReceivedEvent(header: header, json: message.payload)
            } catch {
                throw UnreadableEvent(reason: "\(error)")
            }
        }
        let afterCommit = AfterCommit()
        let applied = try await database.transaction { transaction in
            // The inbox rows first, in one statement: it returns the ids it inserted, which are the
            // events not applied before (a repeat within the batch conflicts with its first copy).
            // If a handler fails, the rollback takes the rows back with its effects.
            var claimed = try await claimInbox(events.map(\.header.id), on: transaction.sql)
            var applied: [Bool] = []
            for event in events {
                guard claimed.remove(event.header.id) != nil else {
                    applied.append(false)
                    continue
                }
                // The event's trace, set inside the transaction: each event of a batch has its own.
                var context = ServiceContext.topLevel
                tracer.extract(
                    [TraceContextPropagation.Key.traceparent: event.header.traceparent ?? ""],
                    into: &context,
                    using: DictionaryExtractor()
                )
                // A consumer span per handler, a child of the event's producer span; `withSpan`
                // also makes its context current for the handler's own calls.
                try await tracer.withSpan("process \(event.header.type)", context: context, ofKind: .consumer) { span in
                    if span.isRecording {
                        MessagingSpanAttributes.describe(
                            span, operation: "process", eventType: event.header.type, eventID: event.header.id, subject: event.header.subject,
                            consumerGroup: name)
                    }
                    try await handler.handle(
                        event, on: transaction, events: OutboxWriter(database: transaction, afterCommit: afterCommit, tracer: tracer))
                }
                applied.append(true)
            }
            return applied
        }
        if applied.contains(true) { afterCommit.ring(relay: doorbell) }
        return applied
    }

    private struct InboxRow: Decodable { var event_id: String }

    /// Inserts an inbox row for each of `ids` not yet in this consumer's inbox; returns those ids.
    private func claimInbox(_ ids: [String], on sql: any SQLDatabase) async throws -> Set<String> {
        let insert = SharedValuesInsert(
            table: "inbox_events",
            shared: [("consumer", name), ("handled_at", Date().timeIntervalSince1970)],
            columns: ["event_id"],
            rows: ids.map { [$0] },
            suffix: "ON CONFLICT (consumer, event_id) DO NOTHING RETURNING event_id"
        )
        let inserted = try await sql.raw("\(insert)").all()
        return Set(try inserted.map { try $0.decode(column: "event_id", as: String.self) })
    }

    /// How often the loop asks the broker for the group's lag.
    static let lagSampleInterval = Duration.seconds(2)

    /// How often the loop samples how many of its dead letters wait for an operator.
    static let deadLetterSampleInterval = Duration.seconds(10)

    /// Samples how many of this consumer's dead letters wait for an operator (its gauge).
    func recordDeadLettersWaiting() async throws {
        let waiting = try await DeadLetterStore(database: database.database()).count(status: .dead, consumer: name)
        metrics.deadLettersWaiting.record(waiting)
    }

    /// How often the loop looks for dead letters an operator asked to replay.
    static let replayCheckInterval = Duration.seconds(1)
    /// How often the loop deletes inbox rows past ``inboxRetention``.
    static let inboxPruneInterval = Duration.seconds(600)
    /// How long the inbox remembers an applied event: the broker's retention (seven days, the
    /// embedded log's and the JetStream stream's), past which it cannot deliver the event again.
    static let inboxRetention = Duration.seconds(7 * 24 * 3600)

    /// Deletes this consumer's inbox rows older than `retention`; returns how many.
    ///
    /// It deletes in chunks of ``OutboxRelay/pruneChunk`` rows, each its own statement, so that a
    /// week of events never holds the database's writer for long.
    @discardableResult
    func pruneInbox(olderThan retention: Duration = inboxRetention) async throws -> Int {
        let sql = try database.database().sql
        let cutoff = Date().timeIntervalSince1970 - retention.seconds
        let pruned = try await deleteInChunks(of: OutboxRelay.pruneChunk) {
            try await sql.raw(
                """
                DELETE FROM inbox_events WHERE consumer = \(bind: name) AND event_id IN (
                    SELECT event_id FROM inbox_events
                    WHERE consumer = \(bind: name) AND handled_at < \(bind: cutoff) LIMIT \(unsafeRaw: String(OutboxRelay.pruneChunk))
                ) RETURNING event_id
                """
            ).all(decoding: InboxRow.self).count
        }
        if pruned > 0 { logger.info("Pruned the inbox", metadata: ["count": "\(pruned)"]) }
        return pruned
    }

    /// Handles the dead letters of this consumer that an operator asked to replay.
    func replayRequestedDeadLetters() async throws {
        let store = DeadLetterStore(database: database.database())
        let requested = try await store.list(status: .replayRequested, consumer: name)
        for letter in requested {
            let message = BrokerMessage(id: letter.eventID, subject: letter.subject, payload: Array(letter.payload.utf8))
            do {
                if try await apply(message) { metrics.handled(message.subject).increment() }
                try await store.finishReplay(letter.id, error: nil)
                logger.notice("Dead letter replayed", metadata: ["event-id": "\(letter.eventID)"])
            } catch {
                try await store.finishReplay(letter.id, error: String(describing: error))
                logger.error("Dead letter replay failed", metadata: ["event-id": "\(letter.eventID)", "error": "\(error)"])
            }
        }
        if !requested.isEmpty { try await recordDeadLettersWaiting() }
    }
}

/// A message that is not a CloudEvent this platform can read: retrying cannot help.
struct UnreadableEvent: Error, CustomStringConvertible {
    let reason: String
    var description: String { "the message is not a readable CloudEvent: \(reason)" }
}
