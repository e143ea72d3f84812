#if NATS
    import Contracts
    import EmporiumCore
    import FluentKit
    import Foundation
    import Logging
    import NATSBroker
    import ServiceLifecycle
    import SQLKit
    import EmporiumTestSupport
    import Testing

    /// The whole asynchronous path of the distributed mode: a service's outbox, its relay, JetStream,
    /// and a consumer that applies each event once through its inbox.
    @Suite(.tags(.integration), .integrationTier, .timeLimit(.minutes(5))) struct NATSPipelineTests {
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

        /// A service's messaging over JetStream: the body adds events through the outbox and reads
        /// what the consumer applied; the relay and the consumer run meanwhile.
        func withPipeline(
            _ server: NATSServerProcess,
            _ body: (_ messaging: ServiceMessaging, _ seen: @escaping () async throws -> [Seen]) async throws -> Void
        ) async throws {
            let logger = Logger(label: "test")
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pipeline-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }

            let database = try ServiceDatabase(location: .sqliteFile(path: directory.appendingPathComponent("order.sqlite").path), logger: logger)
            try await database.migrate(ServiceMessaging.migrations + [CreateShipmentsSeen()])
            let broker = try await NATSBroker.connect(settings: NATSBrokerSettings(url: server.url), logger: logger)
            let messaging = ServiceMessaging(service: "order", database: database, broker: broker, logger: logger)
            let services = ComponentServices(relay: messaging.relay, consumers: [messaging.consumer("order.shipments", handler: CountingHandler())])
            let group = ServiceGroup(services: ProcessServices(broker: broker, components: services.inStartOrder).inStartOrder, logger: logger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let sql = database.database() as! any SQLDatabase
                try await body(messaging) { try await sql.select().column("order_id").from("shipments_seen").all(decoding: Seen.self) }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            await database.close()
        }

        static func shipments(_ range: ClosedRange<Int>) -> [OrderShipped] {
            range.map { OrderShipped(orderId: UUID(), customerId: "c-\($0)", carrier: "Emporium Post", trackingNumber: "EP\($0)") }
        }

        /// Polls until `count` rows were seen, for at most 15 s.
        static func waitUntil(_ count: Int, _ seen: () async throws -> [Seen]) async throws -> [Seen] {
            var rows: [Seen] = []
            for _ in 0..<750 {
                rows = try await seen()
                if rows.count >= count { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            return rows
        }

        @Test func eventsFlowFromTheOutboxThroughJetStreamToTheInboxOnce() async throws {
            let server = try NATSServerProcess.start()
            defer { server.stop() }
            try await withPipeline(server) { messaging, seen in
                let events = Self.shipments(1...200)
                for event in events {
                    try await messaging.outbox.transaction { _, writer in try await writer.add(event) }
                }
                let rows = try await Self.waitUntil(events.count, seen)
                #expect(rows.count == events.count)
                #expect(Set(rows.map(\.order_id)) == Set(events.map(\.orderId.uuidString)))
            }
        }

        /// The outage drill's core: nats-server gone for a while must not stop a service's consumer
        /// (it once ended the whole process) nor lose what was published before, during or after.
        @Test func theConsumerAndRelayRideOutANATSServerRestart() async throws {
            let server = try NATSServerProcess.start()
            defer { server.stop() }
            try await withPipeline(server) { messaging, seen in
                let before = Self.shipments(1...50)
                let during = Self.shipments(51...100)
                let after = Self.shipments(101...150)
                for event in before {
                    try await messaging.outbox.transaction { _, writer in try await writer.add(event) }
                }
                #expect(try await Self.waitUntil(before.count, seen).count == before.count)
                server.stopForAWhile()
                for event in during {
                    try await messaging.outbox.transaction { _, writer in try await writer.add(event) }
                }
                try await Task.sleep(for: .seconds(3))  // the consumer's fetches fail meanwhile
                try server.startAgain()
                for event in after {
                    try await messaging.outbox.transaction { _, writer in try await writer.add(event) }
                }
                let all = before + during + after
                let rows = try await Self.waitUntil(all.count, seen)
                #expect(rows.count == all.count)
                #expect(Set(rows.map(\.order_id)) == Set(all.map(\.orderId.uuidString)))
            }
        }
    }
#endif
