import Contracts
import EmbeddedBroker
import EmporiumTestSupport
import FluentKit
import Foundation
import Logging
import SQLKit
import ServiceLifecycle
import Synchronization
import Testing

@testable import EmporiumCore

/// The outbox, relays, inbox and dead letters on a real PostgreSQL, the distributed mode's database.
///
/// `scripts/test` starts a throwaway cluster and sets `EMPORIUM_POSTGRES_URL`; without it these
/// tests fail rather than skip.
@Suite(.tags(.integration), .integrationTier, .timeLimit(.minutes(5))) struct PostgresMessagingTests {
    /// A fresh database on the test cluster, dropped afterwards.
    func withDatabase(_ body: (DatabaseLocation) async throws -> Void) async throws {
        try await PostgresTestDatabase.with(body)
    }

    /// Counts what reaches the broker, without de-duplicating, to show that relays never publish twice.
    final class CountingBroker: MessageBroker {
        let published = Mutex<[String: Int]>([:])

        func publish(_ messages: [BrokerMessage]) async throws {
            // A little time inside the claim, so that concurrent relays really overlap.
            try await Task.sleep(for: .milliseconds(2))
            published.withLock { counts in
                for message in messages { counts[message.id, default: 0] += 1 }
            }
        }

        func consumerGroup(_ name: String, subjects: [String]) async throws -> any ConsumerGroup {
            fatalError("the counting broker only receives")
        }
    }

    @Test func relaysSharingOneDatabasePublishEachEventOnce() async throws {
        try await withDatabase { location in
            let logger = Logger(label: "test")
            let database = try ServiceDatabase(location: location, logger: logger)
            try await database.migrate(ServiceMessaging.migrations)
            let outbox = Outbox(database: database, doorbell: Doorbell())
            for number in 1...300 {
                try await outbox.transaction { _, writer in try await writer.add(MessagingFixture.order(number)) }
            }
            let broker = CountingBroker()
            // Three relay instances, each with its own connection pool, as three processes would have.
            let instances = try (0..<3).map { _ in try ServiceDatabase(location: location, logger: logger) }
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                for instance in instances {
                    tasks.addTask {
                        let relay = OutboxRelay(
                            service: "order", database: instance, broker: broker, doorbell: Doorbell(), batchSize: 10, logger: logger)
                        while try await relay.relayBatch() > 0 {}
                    }
                }
                try await tasks.waitForAll()
            }
            let counts = broker.published.withLock { $0 }
            #expect(counts.count == 300)
            #expect(counts.values.allSatisfy { $0 == 1 }, "no event published twice")
            for instance in instances { await instance.close() }
            await database.close()
        }
    }

    @Test func theOutboxIsVacuumedEveryTenThousandDeadRowsWhateverItsSize() async throws {
        try await withDatabase { location in
            let database = try ServiceDatabase(location: location, logger: Logger(label: "test"))
            try await database.migrate(ServiceMessaging.migrations)
            let options = try await database.database().sql.raw("SELECT unnest(reloptions) AS option FROM pg_class WHERE relname = 'outbox_events'")
                .all(decodingColumn: "option", as: String.self)
            #expect(Set(options) == ["autovacuum_vacuum_scale_factor=0", "autovacuum_vacuum_threshold=10000"])
            await database.close()
        }
    }

    @Test func consumersAndDeadLettersWorkOnPostgres() async throws {
        try await withDatabase { location in
            let logger = Logger(label: "test")
            let database = try ServiceDatabase(location: location, logger: logger)
            try await database.migrate(ServiceMessaging.migrations + [CreateEffects()])
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pg-broker-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let broker = try await EmbeddedBroker.open(
                location: .sqliteFile(path: directory.appendingPathComponent("broker.sqlite").path), logger: logger)
            let handler = RecordingHandler(poison: "EP7")
            let messaging = ServiceMessaging(service: "order", database: database, broker: broker, logger: logger)
            let services = ComponentServices(relay: messaging.relay, consumers: [messaging.consumer("order.shipments", handler: handler)])
            let store = DeadLetterStore(database: database.database())
            let group = ServiceGroup(services: services.inStartOrder, logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                for number in 1...10 {
                    try await messaging.outbox.transaction { _, writer in try await writer.add(MessagingFixture.order(number)) }
                }
                let sql = database.database() as! any SQLDatabase
                let settled = try await eventually(timeout: .seconds(30)) {
                    let effects = try await sql.select().column("order_id").from("effects").all().count
                    let letters = try await store.list(status: .dead).count
                    return effects == 9 && letters == 1
                }
                #expect(settled)
                let letter = try #require(try await store.list().first)
                #expect(letter.consumer == "order.shipments")
                #expect(try await store.discard([letter.id]) == 1)
                #expect(try await store.find(letter.id)?.status == .discarded)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            // Pruning's statements work on PostgreSQL too: the ten published events and the nine
            // applied ones are past a zero retention.
            let relay = OutboxRelay(
                service: "order", database: database, broker: broker, doorbell: Doorbell(), publishedRetention: .zero, logger: logger)
            #expect(try await relay.prunePublished() == 10)
            let consumer = EventConsumer(name: "order.shipments", handler: handler, database: database, broker: broker, logger: logger)
            #expect(try await consumer.pruneInbox(olderThan: .zero) == 9)
            await broker.close()
            await database.close()
        }
    }
}

/// Instances of a service starting at once against one PostgreSQL database.
@Suite(.tags(.integration), .integrationTier, .timeLimit(.minutes(5))) struct PostgresMigrationTests {
    @Test func instancesStartingAtOnceMigrateOnceWithoutRacing() async throws {
        try await PostgresTestDatabase.with { location in
            let instances = try (0..<4).map { _ in try ServiceDatabase(location: location, logger: Logger(label: "test")) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for instance in instances {
                    group.addTask { try await instance.migrate(ServiceMessaging.migrations + [CreateEffects()]) }
                }
                try await group.waitForAll()
            }
            struct Count: Decodable { var count: Int }
            let sql = try instances[0].database().sql
            let applied = try await sql.raw("SELECT COUNT(*) AS count FROM _fluent_migrations").first(decoding: Count.self)?.count
            #expect(applied == ServiceMessaging.migrations.count + 1)
            for instance in instances { await instance.close() }
        }
    }
}
