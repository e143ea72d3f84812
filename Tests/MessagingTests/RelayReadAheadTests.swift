import Contracts
import EmbeddedBroker
import FluentKit
import Foundation
import MetricsTestKit
import SQLKit
import Synchronization
import Testing

@testable import EmporiumCore

/// A SQLite relay publishes the next batch while the previous one is still being marked, and a
/// read on the reading connection never waits for the writer.
@Suite(.timeLimit(.minutes(2))) struct RelayReadAheadTests {
    @Test func aRelayPublishingAheadOfItsMarkingSendsEachEventOnceInCommitOrderAndLeavesNoneUnmarked() async throws {
        let fixture = try await MessagingFixture.make()
        let broker = RecordingBroker(wrapping: fixture.broker)
        let relay = OutboxRelay(
            service: "test", database: fixture.database, broker: broker, doorbell: fixture.doorbell, batchSize: 100, logger: fixture.logger)
        var readAhead = ReadAhead(relay: relay)
        var written: [String] = []
        // Writes and relay rounds interleave, so that batches start mid-transaction and rows
        // arrive while earlier ones are still unmarked.
        for round in 1...8 {
            let events = (1...(37 * round)).map(MessagingFixture.order)
            written += try await fixture.outbox.transaction { _, writer in try await writer.add(contentsOf: events) }.map(\.id)
            _ = try await readAhead.relayNext()
        }
        while try await readAhead.relayNext() > 0 {}
        #expect(readAhead.connection != nil, "a SQLite file's relay reads through a connection of its own")
        await readAhead.finish()

        #expect(broker.published() == written)
        #expect(try await unpublishedCount(fixture) == 0)
        await fixture.close()
    }

    @Test func aReadOnTheReadingConnectionSeesTheLastCommitWithoutWaitingForAnOpenTransaction() async throws {
        let fixture = try await MessagingFixture.make()
        let (readFinished, finish) = AsyncStream.makeStream(of: Int.self)
        let (inserted, insertDone) = AsyncStream.makeStream(of: Void.self)
        let writing = Task {
            try await fixture.database.transaction { database in
                try await database.sql.insert(into: "effects").columns("order_id").values(SQLBind("order-1")).run()
                insertDone.yield()
                // Holds the writer until the read below has answered (or 10 s, if it waits for us).
                return await withTaskGroup(of: Int?.self) { group in
                    group.addTask { await readFinished.first { _ in true } }
                    group.addTask {
                        try? await Task.sleep(for: .seconds(10))
                        return nil
                    }
                    defer { group.cancelAll() }
                    return await group.next() ?? nil
                }
            }
        }
        // The insert is in; its transaction is open.
        for await _ in inserted { break }
        let whileOpen = try await effectCount(on: fixture.database.reader())
        finish.yield(whileOpen)
        let seenByTheWriter = try await writing.value
        #expect(seenByTheWriter == 0, "the read answered while the transaction was open, with the state before it")
        #expect(try await effectCount(on: fixture.database.reader()) == 1)
        await fixture.close()
    }

    @Test func theBacklogGaugeLeavesOutWhatWasPublishedButNotYetMarked() async throws {
        let fixture = try await MessagingFixture.make()
        let relay = OutboxRelay(
            service: "test", database: fixture.database, broker: fixture.broker, doorbell: fixture.doorbell, batchSize: 10,
            metrics: MessagingMetrics(factory: fixture.metrics), logger: fixture.logger
        )
        try await fixture.outbox.transaction { _, writer in try await writer.add(contentsOf: (1...15).map(MessagingFixture.order)) }
        // The writer stays busy, so the marking of what the relay publishes waits behind it.
        let (release, finish) = AsyncStream.makeStream(of: Void.self)
        let holding = Task { try await fixture.database.transaction { _ in await release.first { _ in true } } }
        try await Task.sleep(for: .milliseconds(100))
        var readAhead = ReadAhead(relay: relay)
        #expect(try await readAhead.relayNext() == 10)
        try await relay.recordBacklog(after: readAhead.cursor)
        #expect(try fixture.metrics.expectGauge("emporium_outbox_depth", [("service", "test")]).lastValue == 5)

        finish.yield()
        try await holding.value
        try await readAhead.settle()
        await readAhead.finish()
        #expect(try await unpublishedCount(fixture) == 5, "the ten published are marked once the writer is free")
        await fixture.close()
    }

    private func effectCount(on database: any Database) async throws -> Int {
        try await database.sql.raw("SELECT COUNT(*) AS count FROM effects").first(decodingColumn: "count", as: Int.self) ?? -1
    }

    private func unpublishedCount(_ fixture: MessagingFixture) async throws -> Int {
        try await fixture.database.database().sql.raw("SELECT COUNT(*) AS count FROM outbox_events WHERE published_at IS NULL")
            .first(decodingColumn: "count", as: Int.self) ?? -1
    }
}

/// Passes everything to a real broker and records the ids of every publish, repeats included
/// (the broker itself would drop a repeat silently).
final class RecordingBroker: MessageBroker {
    private let broker: any MessageBroker
    private let ids = Mutex<[String]>([])

    init(wrapping broker: any MessageBroker) {
        self.broker = broker
    }

    func publish(_ messages: [BrokerMessage]) async throws {
        try await broker.publish(messages)
        ids.withLock { $0 += messages.map(\.id) }
    }

    func consumerGroup(_ name: String, subjects: [String]) async throws -> any ConsumerGroup {
        try await broker.consumerGroup(name, subjects: subjects)
    }

    /// Every id published, in order.
    func published() -> [String] { ids.withLock { $0 } }
}
