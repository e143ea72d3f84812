import Contracts
import EmbeddedBroker
import FluentKit
import Foundation
import InMemoryTracing
import Logging
import MetricsTestKit
import ServiceContextModule
import ServiceLifecycle
import Testing
import Tracing

@testable import EmporiumCore

@Suite(.timeLimit(.minutes(2))) struct EventConsumerTests {
    /// Runs the relay and a consumer with `handler` while `body` runs.
    /// The consumer's `emporium_dead_letters_waiting` gauge, nil before its first sample.
    func waitingDeadLetters(_ fixture: MessagingFixture) -> Double? {
        try? fixture.metrics.expectGauge("emporium_dead_letters_waiting", [("consumer", "test.shipping")]).lastValue
    }

    func withConsumer(
        _ fixture: MessagingFixture,
        handler: RecordingHandler,
        retry: RetryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50)),
        _ body: () async throws -> Void
    ) async throws {
        let consumer = EventConsumer(
            name: "test.shipping", handler: handler, database: fixture.database, broker: fixture.broker, retry: retry,
            metrics: MessagingMetrics(factory: fixture.metrics), logger: fixture.logger
        )
        let group = ServiceGroup(services: [fixture.relay, consumer], logger: fixture.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            do { try await body() } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    @Test func eachEventIsAppliedOnce() async throws {
        let fixture = try await MessagingFixture.make()
        let handler = RecordingHandler()
        let events = (1...20).map(MessagingFixture.order)
        try await withConsumer(fixture, handler: handler) {
            for event in events {
                try await fixture.outbox.transaction { _, writer in try await writer.add(event) }
            }
            #expect(try await eventually { try await fixture.effects().count == 20 })
        }
        #expect(Set(try await fixture.effects()) == Set(events.map(\.orderId.uuidString)))
        await fixture.close()
    }

    @Test func onePoisonousEventInABatchDoesNotHoldBackTheOthers() async throws {
        let fixture = try await MessagingFixture.make()
        let events = (1...30).map(MessagingFixture.order)
        // Written before the consumer starts, so that its first fetch is one batch of all 30.
        for event in events {
            try await fixture.outbox.transaction { _, writer in try await writer.add(event) }
        }
        try await fixture.relay.relayBatch()
        let store = DeadLetterStore(database: fixture.database.database())
        try await withConsumer(fixture, handler: RecordingHandler(poison: "EP13")) { () async throws in
            let settled = try await eventually {
                let effects = try await fixture.effects().count
                let deadLetters = try await store.list().count
                return effects == 29 && deadLetters == 1
            }
            #expect(settled)
        }
        #expect(Set(try await fixture.effects()) == Set(events.filter { $0.trackingNumber != "EP13" }.map(\.orderId.uuidString)))
        #expect(try await store.list().map(\.attempts) == [3])
        await fixture.close()
    }

    @Test func aRedeliveredEventHasOneEffect() async throws {
        let fixture = try await MessagingFixture.make()
        let consumer = EventConsumer(
            name: "test.shipping", handler: RecordingHandler(), database: fixture.database, broker: fixture.broker, logger: fixture.logger)
        let event = CloudEvent(MessagingFixture.order(1))
        let message = BrokerMessage(id: event.id, subject: OrderShipped.eventType, payload: Array(try EventCoding.encoder().encode(event)))
        #expect(try await consumer.apply(message) == true)
        #expect(try await consumer.apply(message) == false)
        #expect(try await fixture.effects().count == 1)
        await fixture.close()
    }

    @Test func aBatchAppliesEachNewEventOnceAndSkipsRepeatsAndOnesAppliedBefore() async throws {
        let fixture = try await MessagingFixture.make()
        let consumer = EventConsumer(
            name: "test.shipping", handler: RecordingHandler(), database: fixture.database, broker: fixture.broker, logger: fixture.logger)
        let messages = try (1...3).map { number in
            let event = CloudEvent(MessagingFixture.order(number))
            return BrokerMessage(id: event.id, subject: OrderShipped.eventType, payload: Array(try EventCoding.encoder().encode(event)))
        }
        #expect(try await consumer.apply([messages[1]]) == [true])
        #expect(try await consumer.apply([messages[0], messages[1], messages[0], messages[2]]) == [true, false, false, true])
        #expect(try await fixture.effects().count == 3)
        await fixture.close()
    }

    @Test func aBatchWhoseHandlerFailsLeavesNoInboxRowBehind() async throws {
        let fixture = try await MessagingFixture.make()
        let consumer = EventConsumer(
            name: "test.shipping", handler: RecordingHandler(poison: "EP2"), database: fixture.database, broker: fixture.broker,
            logger: fixture.logger)
        let messages = try (1...3).map { number in
            let event = CloudEvent(MessagingFixture.order(number))
            return BrokerMessage(id: event.id, subject: OrderShipped.eventType, payload: Array(try EventCoding.encoder().encode(event)))
        }
        await #expect(throws: (any Error).self) { try await consumer.apply(messages) }
        // Nothing of the batch counts as applied: the others still apply, once.
        #expect(try await consumer.apply([messages[0], messages[2]]) == [true, true])
        #expect(try await fixture.effects().count == 2)
        await fixture.close()
    }

    @Test func theInboxForgetsAnEventOnlyAfterTheBrokerCouldNoLongerRedeliverIt() async throws {
        let fixture = try await MessagingFixture.make()
        let consumer = EventConsumer(
            name: "test.shipping", handler: RecordingHandler(), database: fixture.database, broker: fixture.broker, logger: fixture.logger)
        let other = EventConsumer(
            name: "test.other", handler: RecordingHandler(), database: fixture.database, broker: fixture.broker, logger: fixture.logger)
        let event = CloudEvent(MessagingFixture.order(1))
        let message = BrokerMessage(id: event.id, subject: OrderShipped.eventType, payload: Array(try EventCoding.encoder().encode(event)))
        #expect(try await consumer.apply(message))
        #expect(try await other.apply(message))
        // Within the broker's retention the event is remembered.
        #expect(try await consumer.pruneInbox() == 0)
        #expect(try await consumer.apply(message) == false)
        // Past it (a retention of zero: every row handled before now), the row goes — the
        // consumer's own only.
        #expect(try await consumer.pruneInbox(olderThan: .zero) == 1)
        #expect(try await other.apply(message) == false)
        await fixture.close()
    }

    @Test func aFailingHandlerRollsBackItsEffectsAndIsRetried() async throws {
        let fixture = try await MessagingFixture.make()
        let handler = RecordingHandler()
        handler.failing.set(true)
        try await withConsumer(
            fixture, handler: handler, retry: RetryPolicy(maxAttempts: 50, baseDelay: .milliseconds(10), maxDelay: .milliseconds(20))
        ) {
            try await fixture.outbox.transaction { _, writer in try await writer.add(MessagingFixture.order(1)) }
            // Retried, and each failure rolled back what it wrote.
            #expect(try await eventually { handler.calls.total >= 3 })
            #expect(try await fixture.effects().isEmpty)
            handler.failing.set(false)
            #expect(try await eventually { try await fixture.effects().count == 1 })
        }
        #expect(try await fixture.effects().count == 1)
        #expect(try await DeadLetterStore(database: fixture.database.database()).list().isEmpty)
        await fixture.close()
    }

    @Test func repeatedFailuresBecomeADeadLetterThatReplaysOnce() async throws {
        let fixture = try await MessagingFixture.make()
        let handler = RecordingHandler()
        handler.failing.set(true)
        let store = DeadLetterStore(database: fixture.database.database())
        try await withConsumer(fixture, handler: handler) {
            let event = try await fixture.outbox.transaction { _, writer in try await writer.add(MessagingFixture.order(7)) }
            #expect(try await eventually { try await store.list(status: .dead).count == 1 })
            let letter = try #require(try await store.list().first)
            #expect(letter.eventID == event.id)
            #expect(letter.consumer == "test.shipping")
            #expect(letter.attempts == 3)
            #expect(letter.lastError.contains("HandlerFailure"))
            #expect(try await fixture.effects().isEmpty)
            // Operators see it waiting, from the database, not from a counter a restart would reset.
            #expect(try await eventually { waitingDeadLetters(fixture) == 1 })

            handler.failing.set(false)
            #expect(try await store.requestReplay([letter.id]) == 1)
            #expect(try await eventually { try await store.find(letter.id)?.status == .replayed })
            #expect(try await fixture.effects().count == 1)
            #expect(try await eventually { waitingDeadLetters(fixture) == 0 })
            // A replayed letter is not replayed again.
            #expect(try await store.requestReplay([letter.id]) == 0)
        }
        // Each counter is per event type too: every event type is an edge of its own.
        let consumer = [("consumer", "test.shipping"), ("type", OrderShipped.eventType)]
        #expect(try fixture.metrics.expectCounter("emporium_events_retried_total", consumer).totalValue == 2)
        #expect(try fixture.metrics.expectCounter("emporium_events_dead_lettered_total", consumer).totalValue == 1)
        #expect(try fixture.metrics.expectCounter("emporium_events_handled_total", consumer).totalValue == 1)
        #expect(
            try fixture.metrics.expectCounter("emporium_events_published_total", [("service", "test"), ("type", OrderShipped.eventType)])
                .totalValue == 1)
        #expect(try fixture.metrics.expectGauge("emporium_outbox_depth", [("service", "test")]).lastValue == 0)
        #expect(try await fixture.effects().count == 1)
        await fixture.close()
    }

    @Test func anUnreadableMessageIsDeadLetteredAtOnce() async throws {
        let fixture = try await MessagingFixture.make()
        let store = DeadLetterStore(database: fixture.database.database())
        try await withConsumer(fixture, handler: RecordingHandler(), retry: RetryPolicy(maxAttempts: 50)) {
            try await fixture.broker.publish([BrokerMessage(id: "garbage", subject: OrderShipped.eventType, payload: Array("not json".utf8))])
            #expect(try await eventually { try await store.list().map(\.attempts) == [1] })
        }
        await fixture.close()
    }

    @Test func theEventCarriesTheTraceOfTheRequestThatCausedIt() async throws {
        let fixture = try await MessagingFixture.make()
        var context = ServiceContext.topLevel
        let parent = try #require(TraceParent(header: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        context.requestMetadata = RequestMetadata(requestID: "req-1", traceParent: parent)
        let event = try await ServiceContext.$current.withValue(context) {
            try await fixture.outbox.transaction { _, writer in try await writer.add(MessagingFixture.order(1)) }
        }
        #expect(event.traceparent == parent.description)

        // The handler runs in the same trace (in a span of its own).
        try await withConsumer(fixture, handler: RecordingHandler()) { () async throws in
            let applied = try await eventually { try await fixture.effects().count == 1 }
            #expect(applied)
        }
        #expect(try await fixture.traceIDs() == [parent.traceID])
        await fixture.close()
    }

    @Test func eachHandlerRunsInAConsumerSpanOfTheEventsTrace() async throws {
        let fixture = try await MessagingFixture.make()
        let tracer = InMemoryTracer()
        let consumer = EventConsumer(
            name: "test.shipping", handler: RecordingHandler(), database: fixture.database, broker: fixture.broker,
            tracer: ComponentTracer(backend: tracer), logger: fixture.logger
        )
        let event = CloudEvent(MessagingFixture.order(1), traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")
        let message = BrokerMessage(id: event.id, subject: OrderShipped.eventType, payload: Array(try EventCoding.encoder().encode(event)))
        #expect(try await consumer.apply(message) == true)
        let span = try #require(tracer.finishedSpans.first)
        #expect(span.operationName == "process emporium.order.shipped.v1")
        #expect(span.kind == .consumer)
        #expect(span.attributes["messaging.consumer.group.name"]?.toSpanAttribute() == .string("test.shipping"))
        #expect(span.attributes["messaging.message.id"]?.toSpanAttribute() == .string(event.id))
        #expect(try await fixture.traceIDs() == ["4bf92f3577b34da6a3ce929d0e0e4736"])
        await fixture.close()
    }

    @Test func backoffGrowsAndStaysWithinItsCeiling() {
        let policy = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
        for attempt in 1...10 {
            let ceiling = min(Duration.seconds(1), .milliseconds(100) * (1 << (attempt - 1)))
            #expect((0...20).map { _ in policy.delay(afterAttempt: attempt) }.allSatisfy { $0 >= .zero && $0 <= ceiling })
        }
        #expect(Set((0...20).map { _ in policy.delay(afterAttempt: 5) }).count > 1, "jittered")
    }
}
