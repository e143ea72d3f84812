import AsyncHTTPClient
import Contracts
import EmbeddedBroker
import Foundation
import Logging
import SQLKit
import Testing

@testable import EmporiumCore
@testable import OrderService

/// The Order Service's event handler on a real SQLite database: the state machine decides what an
/// event may change, and a redelivered event changes nothing a second time.
@Suite(.timeLimit(.minutes(2))) struct OrderSagaHandlerTests {
    struct Fixture {
        let directory: URL
        let database: ServiceDatabase
        let broker: EmbeddedBroker
        let consumer: EventConsumer
        let shipments = Doorbell()

        static func make() async throws -> Fixture {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("orders-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let logger = Logger(label: "test")
            let database = try ServiceDatabase(location: .sqliteFile(path: directory.appendingPathComponent("order.sqlite").path), logger: logger)
            try await database.migrate(ServiceMessaging.migrations + [CreateOrders(), AddShipmentVoidOwed(), AddOrderTraceparent()])
            let broker = try await EmbeddedBroker.open(
                location: .sqliteFile(path: directory.appendingPathComponent("broker.sqlite").path), logger: logger)
            let shipments = Doorbell()
            let consumer = EventConsumer(
                name: "order.saga",
                handler: OrderSagaHandler(shipments: shipments, logger: logger),
                database: database,
                broker: broker,
                logger: logger
            )
            return Fixture(directory: directory, database: database, broker: broker, consumer: consumer)
        }

        /// A pending order, as checkout stores it.
        func pendingOrder() async throws -> UUID {
            let line = OrderLine(productId: UUID(), sku: "KIT-001", name: "Skillet", quantity: 2, unitPrice: Money(amount: 1_000, currency: "EUR"))
            let row = OrderRow(
                id: UUID(), customer_id: "customer", status: .pending,
                lines: String(decoding: try JSONEncoder().encode([line]), as: UTF8.self), currency: "EUR", subtotal: 2_000, shipping_amount: 490,
                total: 2_490, shipping_service: "standard", parcel_grams: 500,
                shipping_address: String(
                    decoding: try JSONEncoder().encode(PostalAddress(name: "A", line1: "B", city: "C", postalCode: "1", country: "DE")), as: UTF8.self
                ),
                stock_reserved: false, created_at: Date().timeIntervalSince1970, pay_by: Date().timeIntervalSince1970 + 600
            )
            try await Outbox(database: database, doorbell: Doorbell()).transaction { transaction, events in
                try await OrderStore(transaction).place(row, lines: [line], events: events)
            }
            return row.id
        }

        /// Applies `event` as the consumer would on delivery; returns whether it was applied (not a duplicate).
        @discardableResult
        func deliver<Event: DomainEvent>(_ event: CloudEvent<Event>) async throws -> Bool {
            try await consumer.apply(BrokerMessage(id: event.id, subject: Event.eventType, payload: Array(try EventCoding.encoder().encode(event))))
        }

        func order(_ id: UUID) async throws -> OrderRepresentation {
            let store = try OrderStore(database.database())
            return try await store.representation(of: try #require(try await store.find(id)))
        }

        /// The types of the events the Order Service has written to its outbox.
        func published() async throws -> [String] {
            struct Row: Decodable { var subject: String }
            return try await database.database().sql.select().column("subject").from("outbox_events").orderBy("created_at").all(decoding: Row.self)
                .map(\.subject)
        }

        func close() async {
            await broker.close()
            await database.close()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test func aRedeliveredPaymentMarksTheOrderPaidOnce() async throws {
        let fixture = try await Fixture.make()
        let id = try await fixture.pendingOrder()
        try await fixture.deliver(CloudEvent(StockReserved(orderId: id, lines: [])))
        let paid = CloudEvent(
            PaymentProcessed(
                paymentId: UUID(), orderId: id, customerId: "customer", amount: Money(amount: 2_490, currency: "EUR"), outcome: .succeeded,
                failureReason: nil))
        #expect(try await fixture.deliver(paid) == true)
        #expect(try await fixture.deliver(paid) == false)
        let order = try await fixture.order(id)
        #expect(order.status == .paid)
        #expect(order.statusHistory.map(\.status) == [.pending, .awaitingPayment, .paid])
        await fixture.close()
    }

    @Test func rejectedStockCancelsAndAnnouncesIt() async throws {
        let fixture = try await Fixture.make()
        let id = try await fixture.pendingOrder()
        try await fixture.deliver(CloudEvent(StockRejected(orderId: id, shortages: [])))
        let order = try await fixture.order(id)
        #expect(order.status == .cancelled)
        #expect(order.statusHistory.last?.reason == "stock_rejected")
        #expect(try await fixture.published() == [OrderCreated.eventType, OrderCancelled.eventType])
        await fixture.close()
    }

    @Test func lateEventsCannotMoveAnOrderBackwards() async throws {
        let fixture = try await Fixture.make()
        let id = try await fixture.pendingOrder()
        // Paid before its stock was reserved is impossible: the payment is ignored.
        try await fixture.deliver(
            CloudEvent(
                PaymentProcessed(
                    paymentId: UUID(), orderId: id, customerId: "customer", amount: Money(amount: 2_490, currency: "EUR"), outcome: .succeeded,
                    failureReason: nil)))
        #expect(try await fixture.order(id).status == .pending)
        try await fixture.deliver(CloudEvent(StockRejected(orderId: id, shortages: [])))
        // A reservation arriving after the order was cancelled leaves it cancelled.
        try await fixture.deliver(CloudEvent(StockReserved(orderId: id, lines: [])))
        let declined = CloudEvent(
            PaymentProcessed(
                paymentId: UUID(), orderId: id, customerId: "customer", amount: Money(amount: 2_490, currency: "EUR"), outcome: .failed,
                failureReason: "card_declined"))
        try await fixture.deliver(declined)
        let order = try await fixture.order(id)
        #expect(order.status == .cancelled)
        #expect(order.statusHistory.map(\.status) == [.pending, .cancelled])
        await fixture.close()
    }

    @Test func theStateMachineAllowsOnlyItsTransitions() {
        #expect(OrderTransition.cancelledByOwner.from.contains(.paid))
        #expect(!OrderTransition.cancelledByOwner.from.contains(.shipped))
        #expect(!OrderTransition.expired.from.contains(.paid))
        #expect(OrderTransition.paymentSucceeded.from == [.awaitingPayment, .paymentFailed])
        #expect(OrderTransition.shipped.from == [.paid])
        for transition in [OrderTransition.stockRejected, .cancelledByOwner, .expired] { #expect(transition.to == .cancelled) }
    }

    @Test func anUnpaidOrderExpiresOnceItsWindowHasPassedAndNotBefore() async throws {
        let fixture = try await Fixture.make()
        let id = try await fixture.pendingOrder()  // its window: ten minutes
        let outbox = Outbox(database: fixture.database, doorbell: Doorbell())
        let client = OutboundHTTPClient()
        let resources = ServiceResources(database: fixture.database, outbox: outbox, client: client)
        let inNineMinutes = OrderExpiry(resources: resources, logger: Logger(label: "test"), now: { Date().addingTimeInterval(540) })
        #expect(try await inNineMinutes.pass() == false)
        #expect(try await fixture.order(id).status == .pending)

        let inElevenMinutes = OrderExpiry(resources: resources, logger: Logger(label: "test"), now: { Date().addingTimeInterval(660) })
        #expect(try await inElevenMinutes.pass() == false)
        let expired = try await fixture.order(id)
        #expect(expired.status == .cancelled && expired.statusHistory.last?.reason == "expired")
        #expect(try await fixture.published() == [OrderCreated.eventType, OrderCancelled.eventType])
        try await client.client.shutdown()
        await fixture.close()
    }
}
