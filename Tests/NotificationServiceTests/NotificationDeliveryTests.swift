import Contracts
import EmailService
import EmbeddedBroker
import EmporiumTestSupport
import Foundation
import Logging
import SQLKit
import Testing

@testable import EmporiumCore
@testable import NotificationService

/// The handler and the dispatcher on a real SQLite database: once per event however often it is
/// delivered, and an SMTP 5xx that becomes a dead letter an operator can replay.
@Suite(.timeLimit(.minutes(2))) struct NotificationDeliveryTests {
    struct Fixture {
        let directory: URL
        let database: ServiceDatabase
        let broker: EmbeddedBroker
        let consumer: EventConsumer
        let logger = Logger(label: "test")

        static func make() async throws -> Fixture {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("notifications-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let logger = Logger(label: "test")
            let database = try ServiceDatabase(
                location: .sqliteFile(path: directory.appendingPathComponent("notification.sqlite").path), logger: logger)
            try await database.migrate(ServiceMessaging.migrations + [CreateNotifications()])
            let broker = try await EmbeddedBroker.open(
                location: .sqliteFile(path: directory.appendingPathComponent("broker.sqlite").path), logger: logger)
            let handler = NotificationHandler(templates: try await NotificationTemplates.load(overrides: nil), dispatch: Doorbell())
            let consumer = EventConsumer(name: "notification.events", handler: handler, database: database, broker: broker, logger: logger)
            return Fixture(directory: directory, database: database, broker: broker, consumer: consumer)
        }

        @discardableResult
        func deliver<Event: DomainEvent>(_ event: CloudEvent<Event>) async throws -> Bool {
            try await consumer.apply(BrokerMessage(id: event.id, subject: Event.eventType, payload: Array(try EventCoding.encoder().encode(event))))
        }

        func dispatcher(_ transport: any EmailTransport) -> NotificationDispatcher {
            NotificationDispatcher(
                database: database,
                transport: transport,
                sender: EmailAddress("shop@emporium.example", name: "Emporium"),
                retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1), maxDelay: .milliseconds(1)),
                calls: OutboundCallMetrics(component: "notification"),
                logger: logger
            )
        }

        func statuses() async throws -> [String] {
            struct Row: Decodable { var status: String }
            return try await database.database().sql.raw("SELECT status FROM notifications ORDER BY created_at").all(decoding: Row.self).map(\.status)
        }

        func close() async {
            await broker.close()
            await database.close()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test func aRedeliveredEventSendsOneEmail() async throws {
        let fixture = try await Fixture.make()
        let mail = fixture.directory.appendingPathComponent("mail")
        let registered = CloudEvent(UserRegistered(userId: "u1", email: "ada@example.com", name: "Ada"))
        #expect(try await fixture.deliver(registered))
        #expect(try await fixture.deliver(registered) == false)
        // Even past the inbox (a replayed dead letter, a second consumer instance), the unique row holds.
        _ = try await fixture.consumer.handler.handle(
            try Self.received(registered), on: fixture.database.database(),
            events: OutboxWriter(database: fixture.database.database(), afterCommit: AfterCommit(), tracer: .propagationOnly))
        let dispatcher = fixture.dispatcher(FileTransport(directory: mail.path))
        _ = try await dispatcher.pass()
        _ = try await dispatcher.pass()
        #expect(try await fixture.statuses() == ["sent"])
        let files = try FileManager.default.contentsOfDirectory(atPath: mail.path)
        #expect(files.count == 1)
        let eml = try String(contentsOf: mail.appendingPathComponent(try #require(files.first)), encoding: .utf8)
        #expect(eml.contains("To: Ada <ada@example.com>") && eml.contains("Subject: Welcome to Emporium"))
        await fixture.close()
    }

    @Test func aSendAbandonedByADeadInstanceIsSentLater() async throws {
        let fixture = try await Fixture.make()
        let mail = fixture.directory.appendingPathComponent("mail")
        try await fixture.deliver(CloudEvent(UserRegistered(userId: "u3", email: "grace@example.com", name: "Grace")))
        // As an instance leaves it when it dies between claiming and sending: `sending`, claimed long ago.
        let claimedAt = Date().timeIntervalSince1970 - NotificationDispatcher.abandonedAfter - 1
        try await fixture.database.database().sql.raw("UPDATE notifications SET status = 'sending', next_attempt_at = \(bind: claimedAt)").run()
        let dispatcher = fixture.dispatcher(FileTransport(directory: mail.path))
        #expect(try await dispatcher.pass() == false)
        #expect(try await fixture.statuses() == ["sending"])
        #expect(try await dispatcher.recover())
        _ = try await dispatcher.pass()
        #expect(try await fixture.statuses() == ["sent"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: mail.path).count == 1)
        // A send still in progress elsewhere (claimed just now) is left alone.
        try await fixture.database.database().sql.raw(
            "UPDATE notifications SET status = 'sending', next_attempt_at = \(bind: Date().timeIntervalSince1970)"
        ).run()
        #expect(try await dispatcher.recover() == false)
        await fixture.close()
    }

    @Test func anEventForAnUnknownCustomerIsRetriedNotDropped() async throws {
        let fixture = try await Fixture.make()
        let shipped = CloudEvent(OrderShipped(orderId: UUID(), customerId: "nobody-yet", carrier: "Emporium Post", trackingNumber: "EP1"))
        await #expect(throws: RecipientUnknown.self) { try await fixture.deliver(shipped) }
        try await fixture.deliver(CloudEvent(UserRegistered(userId: "nobody-yet", email: "late@example.com", name: "Late")))
        #expect(try await fixture.deliver(shipped))
        #expect(try await fixture.statuses() == ["pending", "pending"])
        await fixture.close()
    }

    @Test(.tags(.integration), .integrationTier) func aPermanentSMTPRefusalBecomesADeadLetterThatReplaySends() async throws {
        try await SMTPSinkProcess.run { sink in
            let fixture = try await Fixture.make()
            let transport = SMTPTransport(
                settings: SMTPSettings(host: "127.0.0.1", port: sink.port, timeout: .seconds(5)),
                retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(1)))
            let dispatcher = fixture.dispatcher(transport)
            let registered = CloudEvent(UserRegistered(userId: "u2", email: "reject-once@example.com", name: "Bounce"))
            try await fixture.deliver(registered)
            _ = try await dispatcher.pass()
            #expect(try await fixture.statuses() == ["failed"])
            let store = DeadLetterStore(database: fixture.database.database())
            let letter = try #require(try await store.list(consumer: NotificationDispatcher.deliveryConsumer).first)
            #expect(letter.eventID == registered.id && letter.lastError.contains("550"))
            #expect(try sink.received().isEmpty)

            try await store.requestReplay([letter.id])
            #expect(try await dispatcher.pass() == false)  // sending alone does not look at dead letters
            #expect(try await dispatcher.recover())
            _ = try await dispatcher.pass()
            #expect(try await fixture.statuses() == ["sent"])
            #expect(try sink.received().map(\.rcptTos) == [["reject-once@example.com"]])
            #expect(try await store.find(letter.id)?.status == .replayed)
            await fixture.close()
        }
    }

    static func received<Event: DomainEvent>(_ event: CloudEvent<Event>) throws -> ReceivedEvent {
        let json = Array(try EventCoding.encoder().encode(event))
        return ReceivedEvent(header: try EventCoding.decoder().decode(CloudEventHeader.self, from: Data(json)), json: json)
    }
}
