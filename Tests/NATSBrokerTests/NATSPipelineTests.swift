#if NATS
import Contracts
import EmporiumCore
import FluentKit
import Foundation
import Logging
import NATSBroker
import ServiceLifecycle
import SQLKit
import Testing

/// The whole asynchronous path of the distributed mode: a service's outbox, its relay, JetStream,
/// and a consumer that applies each event once through its inbox.
@Suite struct NATSPipelineTests {
    struct CountingHandler: EventHandler {
        var eventTypes: [String] { [OrderShipped.eventType] }

        func handle(_ event: ReceivedEvent, on database: any Database, events: OutboxWriter) async throws {
            let shipped = try event.decode(OrderShipped.self)
            try await (database as! any SQLDatabase).insert(into: "shipments_seen")
                .columns("order_id").values(SQLBind(shipped.data.orderId.uuidString)).run()
        }
    }

    struct CreateShipmentsSeen: AsyncMigration {
        func prepare(on database: any Database) async throws {
            try await database.schema("shipments_seen").field("order_id", .string, .required).create()
        }

        func revert(on database: any Database) async throws {
            try await database.schema("shipments_seen").delete()
        }
    }

    struct Seen: Decodable { var order_id: String }

    @Test func eventsFlowFromTheOutboxThroughJetStreamToTheInboxOnce() async throws {
        let server = try NATSServerProcess.start()
        defer { server.stop() }
        let logger = Logger(label: "test")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }

        let database = try ServiceDatabase(location: .sqliteFile(path: directory.appendingPathComponent("order.sqlite").path), logger: logger)
        try await database.migrate(ServiceMessaging.migrations + [CreateShipmentsSeen()])
        let broker = try await NATSBroker.connect(settings: NATSBrokerSettings(url: server.url), logger: logger)
        let messaging = ServiceMessaging(
            service: "order",
            database: database,
            broker: broker,
            consumers: [.init(name: "order.shipments", handler: CountingHandler())],
            logger: logger
        )
        let events = (1...200).map { OrderShipped(orderId: UUID(), customerId: "c-\($0)", carrier: "Emporium Post", trackingNumber: "EP\($0)") }
        let group = ServiceGroup(services: [broker] + messaging.services, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            for event in events {
                try await messaging.outbox.transaction { _, writer in try await writer.add(event) }
            }
            let sql = database.database() as! any SQLDatabase
            var seen: [Seen] = []
            for _ in 0..<500 where seen.count < events.count {
                seen = try await sql.select().column("order_id").from("shipments_seen").all(decoding: Seen.self)
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(seen.count == events.count)
            #expect(Set(seen.map(\.order_id)) == Set(events.map(\.orderId.uuidString)))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        await database.close()
    }
}
#endif
