import Contracts
import EmbeddedBroker
import EmporiumCore
import FluentKit
import Foundation
import SQLKit
import Testing

@Suite(.timeLimit(.minutes(2))) struct OutboxAndBrokerTests {
    @Test func committedEventsReachTheBrokerInOrder() async throws {
        let fixture = try await MessagingFixture.make()
        let group = try await fixture.broker.consumerGroup("test.orders", subjects: [OrderShipped.eventType])
        let events = (1...5).map(MessagingFixture.order)
        for event in events {
            try await fixture.outbox.transaction { _, writer in try await writer.add(event) }
        }
        #expect(try await fixture.relay.relayBatch() == 5)
        #expect(try await fixture.relay.relayBatch() == 0)

        let deliveries = try await group.fetch(max: 10, wait: .zero)
        let received = try deliveries.map { try EventCoding.decoder().decode(CloudEvent<OrderShipped>.self, from: Data($0.message.payload)).data }
        #expect(received == events)
        #expect(deliveries.allSatisfy { $0.attempt == 1 })
        await fixture.close()
    }

    @Test func eventsWrittenTogetherLeaveOneByOneInTheOrderWritten() async throws {
        let fixture = try await MessagingFixture.make()
        let group = try await fixture.broker.consumerGroup("test.orders", subjects: [OrderShipped.eventType])
        // More than one multi-row insert holds, and more than one relay batch.
        let events = (1...1_203).map(MessagingFixture.order)
        let written = Date(timeIntervalSince1970: 1_790_000_000.25)
        let envelopes = try await fixture.outbox.transaction { _, writer in try await writer.add(contentsOf: events, time: written) }
        let rows = try await fixture.database.database().sql.raw("SELECT DISTINCT subject, created_at FROM outbox_events").all()
        #expect(rows.count == 1, "every row has the batch's subject and time")
        #expect(try rows.first?.decode(column: "subject", as: String.self) == OrderShipped.eventType)
        #expect(try rows.first?.decode(column: "created_at", as: Double.self) == written.timeIntervalSince1970)
        var published = 0
        while case let count = try await fixture.relay.relayBatch(), count > 0 { published += count }
        #expect(published == events.count)

        var deliveries: [Delivery] = []
        while case let batch = try await group.fetch(max: 500, wait: .zero), !batch.isEmpty { deliveries += batch }
        #expect(deliveries.map(\.message.id) == envelopes.map(\.id))
        #expect(Set(envelopes.map(\.id)).count == events.count)
        let received = try deliveries.map { try EventCoding.decoder().decode(CloudEvent<OrderShipped>.self, from: Data($0.message.payload)).data }
        #expect(received == events)
        await fixture.close()
    }

    @Test func publishedEventsLeaveTheOutboxAfterTheirRetentionAndUnpublishedOnesStay() async throws {
        let fixture = try await MessagingFixture.make()
        for number in 1...3 {
            try await fixture.outbox.transaction { _, writer in try await writer.add(MessagingFixture.order(number)) }
        }
        #expect(try await fixture.relay.relayBatch() == 3)
        try await fixture.outbox.transaction { _, writer in try await writer.add(MessagingFixture.order(4)) }
        let relay = OutboxRelay(
            service: "test", database: fixture.database, broker: fixture.broker, doorbell: fixture.doorbell, publishedRetention: .zero,
            logger: fixture.logger)
        // Within a day's retention nothing goes; past it, only what was published.
        #expect(try await fixture.relay.prunePublished() == 0)
        #expect(try await relay.prunePublished() == 3)
        #expect(try await relay.relayBatch() == 1)
        await fixture.close()
    }

    @Test func pruningDeletesChunkAfterChunkUntilNoPublishedEventIsPastItsRetention() async throws {
        let fixture = try await MessagingFixture.make()
        let total = OutboxRelay.pruneChunk + 3
        try await fixture.outbox.transaction { _, writer in try await writer.add(contentsOf: (1...total).map(MessagingFixture.order)) }
        while try await fixture.relay.relayBatch() > 0 {}
        let relay = OutboxRelay(
            service: "test", database: fixture.database, broker: fixture.broker, doorbell: fixture.doorbell, publishedRetention: .zero,
            logger: fixture.logger)
        #expect(try await relay.prunePublished() == total)
        #expect(try await relay.prunePublished() == 0)
        await fixture.close()
    }

    @Test func pruningFindsOldRowsThroughAnIndexRatherThanReadingEveryRow() async throws {
        let fixture = try await MessagingFixture.make()
        let sql = try #require(fixture.database.database() as? any SQLDatabase)
        struct Step: Decodable { var detail: String }
        let outboxPlan = try await sql.raw(
            "EXPLAIN QUERY PLAN SELECT position FROM outbox_events WHERE published_at IS NOT NULL AND published_at <= 1 LIMIT 10"
        ).all(decoding: Step.self).map(\.detail)
        #expect(outboxPlan.contains { $0.contains("outbox_events_published") }, "\(outboxPlan)")
        let inboxPlan = try await sql.raw(
            "EXPLAIN QUERY PLAN SELECT event_id FROM inbox_events WHERE consumer = 'c' AND handled_at < 1 LIMIT 10"
        ).all(decoding: Step.self).map(\.detail)
        #expect(inboxPlan.contains { $0.contains("inbox_events_handled") }, "\(inboxPlan)")
        await fixture.close()
    }

    @Test func migrationNamesNeverChangeBecauseEveryDeployedDatabaseRecordsThem() {
        // A renamed migration would run again on an existing database and fail on what it made.
        #expect(
            ServiceMessaging.migrations.map(\.name) == [
                "EmporiumCore.CreateOutbox",
                "EmporiumCore.IndexUnpublishedOutboxEvents",
                "EmporiumCore.IndexPublishedOutboxEvents",
                "EmporiumCore.OutboxAutovacuum",
                "EmporiumCore.CreateInbox",
                "EmporiumCore.CreateDeadLetters",
                "EmporiumCore.IndexInboxByHandledTime",
            ])
    }

    @Test func aRolledBackTransactionPublishesNothing() async throws {
        let fixture = try await MessagingFixture.make()
        let group = try await fixture.broker.consumerGroup("test.orders", subjects: [OrderShipped.eventType])
        struct Abort: Error {}
        await #expect(throws: Abort.self) {
            try await fixture.outbox.transaction { _, writer in
                try await writer.add(MessagingFixture.order(1))
                throw Abort()
            }
        }
        #expect(try await fixture.relay.relayBatch() == 0)
        #expect(try await group.fetch(max: 10, wait: .milliseconds(50)).isEmpty)
        await fixture.close()
    }

    @Test func theBrokerDropsARepublishedEventId() async throws {
        let fixture = try await MessagingFixture.make()
        let group = try await fixture.broker.consumerGroup("test.orders", subjects: [OrderShipped.eventType])
        let message = BrokerMessage(id: "evt-1", subject: OrderShipped.eventType, payload: Array("{}".utf8))
        try await fixture.broker.publish([message])
        try await fixture.broker.publish([message])
        #expect(try await group.fetch(max: 10, wait: .zero).count == 1)
        await fixture.close()
    }

    @Test func aGroupOnlyReceivesItsSubjects() async throws {
        let fixture = try await MessagingFixture.make()
        let group = try await fixture.broker.consumerGroup("test.orders", subjects: [OrderShipped.eventType])
        try await fixture.broker.publish([
            BrokerMessage(id: "a", subject: OrderCreated.eventType, payload: []),
            BrokerMessage(id: "b", subject: OrderShipped.eventType, payload: []),
        ])
        let deliveries = try await group.fetch(max: 10, wait: .zero)
        #expect(deliveries.map(\.message.id) == ["b"])
        await fixture.close()
    }

    @Test func aGroupsLagCountsWhatWaitsAndWhatIsHandedOutUntilAcknowledged() async throws {
        let fixture = try await MessagingFixture.make()
        let group = try await fixture.broker.consumerGroup("test.orders", subjects: [OrderShipped.eventType])
        #expect(try await group.lag() == 0)
        try await fixture.broker.publish(
            (1...3).map { BrokerMessage(id: "s\($0)", subject: OrderShipped.eventType, payload: []) }
                + [BrokerMessage(id: "other", subject: OrderCreated.eventType, payload: [])])
        #expect(try await group.lag() == 3, "another group's subject is not this group's lag")
        let handedOut = try await group.fetch(max: 2, wait: .zero)
        #expect(try await group.lag() == 3, "handed out is not handled")
        try await group.ack(handedOut)
        #expect(try await group.lag() == 1)
        try await group.ack(try await group.fetch(max: 10, wait: .zero))
        #expect(try await group.lag() == 0)
        await fixture.close()
    }

    @Test func anUnacknowledgedMessageIsRedeliveredAfterAckWait() async throws {
        // Long enough that the second fetch surely comes before it on a loaded machine (1 s was
        // not, with a build running beside the tests).
        let fixture = try await MessagingFixture.make(ackWait: .seconds(3))
        let group = try await fixture.broker.consumerGroup("test.orders", subjects: [OrderShipped.eventType])
        try await fixture.broker.publish([BrokerMessage(id: "evt-1", subject: OrderShipped.eventType, payload: [])])
        #expect(try await group.fetch(max: 10, wait: .zero).map(\.attempt) == [1])
        #expect(try await group.fetch(max: 10, wait: .zero).isEmpty)
        let again = try await group.fetch(max: 10, wait: .seconds(10))
        #expect(again.map(\.message.id) == ["evt-1"])
        #expect(again.map(\.attempt) == [2])
        try await group.ack(again[0])
        #expect(try await group.fetch(max: 10, wait: .milliseconds(400)).isEmpty)
        await fixture.close()
    }

    @Test func twoInstancesOfAGroupSplitItsMessages() async throws {
        let fixture = try await MessagingFixture.make()
        let first = try await fixture.broker.consumerGroup("test.orders", subjects: [OrderShipped.eventType])
        let second = try await fixture.broker.consumerGroup("test.orders", subjects: [OrderShipped.eventType])
        let other = try await fixture.broker.consumerGroup("test.audit", subjects: [OrderShipped.eventType])
        try await fixture.broker.publish((1...6).map { BrokerMessage(id: "evt-\($0)", subject: OrderShipped.eventType, payload: []) })
        let a = try await first.fetch(max: 3, wait: .zero).map(\.message.id)
        let b = try await second.fetch(max: 10, wait: .zero).map(\.message.id)
        #expect(Set(a).isDisjoint(with: b))
        #expect(Set(a + b).count == 6)
        #expect(try await other.fetch(max: 10, wait: .zero).count == 6)
        await fixture.close()
    }

    /// The fetch would wait ten minutes for a message; only the doorbell's ring can end it within
    /// the test's time limit, so the test fails if the publish does not ring it.
    @Test(.timeLimit(.minutes(1))) func aWaitingFetchWakesOnPublish() async throws {
        let fixture = try await MessagingFixture.make()
        let group = try await fixture.broker.consumerGroup("test.orders", subjects: [OrderShipped.eventType])
        async let fetched = group.fetch(max: 10, wait: .seconds(600))
        // Not synchronisation: a publish before the fetch waits would be found by its first claim,
        // and the test would pass without the ring. The pause makes the ring the only way out.
        try await Task.sleep(for: .milliseconds(50))
        try await fixture.broker.publish([BrokerMessage(id: "evt-1", subject: OrderShipped.eventType, payload: [])])
        #expect(try await fetched.map(\.message.id) == ["evt-1"])
        await fixture.close()
    }

    @Test func aReopenedBrokerDeliversWhatWasPendingAndWhatWasNeverFetched() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("broker-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let location = DatabaseLocation.sqliteFile(path: directory.appendingPathComponent("broker.sqlite").path)

        let before = try await EmbeddedBroker.open(location: location, ackWait: .milliseconds(100), logger: .init(label: "test"))
        let group = try await before.consumerGroup("test.orders", subjects: [OrderShipped.eventType])
        try await before.publish((1...3).map { BrokerMessage(id: "evt-\($0)", subject: OrderShipped.eventType, payload: []) })
        #expect(try await group.fetch(max: 1, wait: .zero).map(\.message.id) == ["evt-1"])
        // Closed without acknowledging anything, as a crash would leave it.
        await before.close()

        let after = try await EmbeddedBroker.open(location: location, ackWait: .milliseconds(100), logger: .init(label: "test"))
        let reopened = try await after.consumerGroup("test.orders", subjects: [OrderShipped.eventType])
        var received: [String: Int] = [:]
        _ = try await eventually {
            for delivery in try await reopened.fetch(max: 10, wait: .milliseconds(200)) {
                received[delivery.message.id] = delivery.attempt
                try await reopened.ack(delivery)
            }
            return received.count == 3
        }
        #expect(received == ["evt-1": 2, "evt-2": 1, "evt-3": 1])
        await after.close()
    }
}

@Suite(.timeLimit(.minutes(2))) struct BrokerRetentionTests {
    @Test func compactionKeepsWhatAnyGroupStillNeeds() async throws {
        let fixture = try await MessagingFixture.make()
        // Nothing is compacted before a group exists: its history is still wanted.
        try await fixture.broker.publish((1...10).map { BrokerMessage(id: "evt-\($0)", subject: OrderShipped.eventType, payload: []) })
        #expect(try await fixture.broker.compact(olderThan: .zero) == 0)

        let fast = try await fixture.broker.consumerGroup("test.fast", subjects: [OrderShipped.eventType])
        let slow = try await fixture.broker.consumerGroup("test.slow", subjects: [OrderShipped.eventType])
        try await fast.ack(try await fast.fetch(max: 10, wait: .zero))
        let slowFirst = try await slow.fetch(max: 6, wait: .zero)
        try await slow.ack(Array(slowFirst.prefix(4)))  // evt-5 and evt-6 stay pending
        // Within the retention period nothing goes, even what everyone has acknowledged.
        #expect(try await fixture.broker.compact() == 0)
        // Past it, only what both groups are done with: evt-1…evt-4.
        #expect(try await fixture.broker.compact(olderThan: .zero) == 4)

        // The slow group still gets the rest, and new messages flow after the cut.
        try await fixture.broker.publish([BrokerMessage(id: "evt-11", subject: OrderShipped.eventType, payload: [])])
        try await slow.ack(Array(slowFirst.suffix(2)))
        let rest = try await slow.fetch(max: 10, wait: .zero)
        #expect(rest.map(\.message.id) == ["evt-7", "evt-8", "evt-9", "evt-10", "evt-11"])
        #expect(try await fast.fetch(max: 10, wait: .zero).map(\.message.id) == ["evt-11"])
        await fixture.close()
    }

    @Test func aGroupWhoseSubjectIsRareDoesNotHoldBackCompaction() async throws {
        let fixture = try await MessagingFixture.make()
        let rare = try await fixture.broker.consumerGroup("test.rare", subjects: [OrderCancelled.eventType])
        try await fixture.broker.publish([BrokerMessage(id: "cancelled-1", subject: OrderCancelled.eventType, payload: [])])
        try await rare.ack(try await rare.fetch(max: 10, wait: .zero))
        // Then only other subjects, which the group looks past but never receives.
        try await fixture.broker.publish((1...5).map { BrokerMessage(id: "shipped-\($0)", subject: OrderShipped.eventType, payload: []) })
        #expect(try await rare.fetch(max: 10, wait: .zero).isEmpty)
        #expect(try await fixture.broker.compact(olderThan: .zero) == 6)
        await fixture.close()
    }
}
