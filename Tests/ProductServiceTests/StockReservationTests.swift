import Contracts
import EmbeddedBroker
import EmporiumCore
import EmporiumTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import ProductService
import Testing

/// The Product Service's part of the checkout saga, driven through a real broker: orders arrive as
/// `OrderCreated`, answers leave as `StockReserved` or `StockRejected`.
@Suite(.timeLimit(.minutes(2))) struct StockReservationTests {
    /// A Product Service with the demo catalog on an embedded broker; `body` publishes orders and
    /// reads the service's answers and the catalog.
    func withStock(_ body: @escaping @Sendable (StockHarness) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stock-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let logger = Logger(label: "test")
        let broker = try await EmbeddedBroker.open(
            location: .sqliteFile(path: directory.appendingPathComponent("broker.sqlite").path), logger: logger)
        let settings = ServiceSettings(
            server: HTTPServerSettings(port: 0),
            database: .sqliteFile(path: directory.appendingPathComponent("product.sqlite").path),
            seedDemoData: true
        )
        let answers = try await broker.consumerGroup("test.saga", subjects: [StockReserved.eventType, StockRejected.eventType])
        do {
            try await buildProductService(settings: settings, broker: broker, logger: logger).test(.live) { client in
                try await body(StockHarness(client: client, broker: broker, answers: answers))
            }
        } catch {
            await broker.close()
            throw error
        }
        await broker.close()
    }

    @Test func fiftyConcurrentOrdersForTenUnitsReserveExactlyTen() async throws {
        try await withStock { harness in
            let product = try await harness.product(sku: "HOM-003")  // Ceramic Table Lamp, stock 10
            #expect(product.stock == 10)
            let orders = (0..<50).map { _ in UUID() }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for order in orders {
                    group.addTask { try await harness.publishOrder(order, lines: [(product, 1)]) }
                }
                try await group.waitForAll()
            }
            let outcome = try await harness.answers(count: 50)
            #expect(outcome.reserved.count == 10)
            #expect(outcome.rejected.count == 40)
            #expect(Set(outcome.reserved.map(\.orderId)).union(outcome.rejected.map(\.orderId)) == Set(orders))
            #expect(try await harness.product(sku: "HOM-003").stock == 0)
        }
    }

    @Test func anOrderGetsAllItsLinesOrNone() async throws {
        try await withStock { harness in
            let plenty = try await harness.product(sku: "GAR-003")  // stock 200
            let scarce = try await harness.product(sku: "OUT-001")  // stock 8
            let refused = UUID()
            try await harness.publishOrder(refused, lines: [(plenty, 5), (scarce, 9)])
            let first = try await harness.answers(count: 1)
            let shortage = try #require(first.rejected.first?.shortages.first)
            #expect(shortage == StockRejected.Shortage(productId: scarce.id, requested: 9, available: 8))
            // Nothing was taken from the line that could have been served.
            #expect(try await harness.product(sku: "GAR-003").stock == 200)

            let accepted = UUID()
            try await harness.publishOrder(accepted, lines: [(plenty, 5), (scarce, 8), (plenty, 1)])
            let second = try await harness.answers(count: 1)
            #expect(
                second.reserved.first?.lines.sorted { $0.quantity < $1.quantity } == [
                    StockLine(productId: plenty.id, quantity: 6), StockLine(productId: scarce.id, quantity: 8),
                ])
            #expect(try await harness.product(sku: "GAR-003").stock == 194)
            #expect(try await harness.product(sku: "OUT-001").stock == 0)
        }
    }

    @Test func unknownProductsAndBadQuantitiesAreRejected() async throws {
        try await withStock { harness in
            let real = try await harness.product(sku: "KIT-001")
            let ghost = ProductRepresentation(id: UUID(), sku: "NONE", name: "Ghost", description: "", category: "x", price: real.price, stock: 0)
            try await harness.publishOrder(UUID(), lines: [(real, 1), (ghost, 1)])
            try await harness.publishOrder(UUID(), lines: [(real, 0)])
            let outcome = try await harness.answers(count: 2)
            #expect(outcome.rejected.count == 2)
            #expect(try await harness.product(sku: "KIT-001").stock == real.stock)
        }
    }

    @Test func aCancellationReleasesWhatWasReservedOnce() async throws {
        try await withStock { harness in
            let knife = try await harness.product(sku: "KIT-002")  // stock 25
            let order = UUID()
            try await harness.publishOrder(order, lines: [(knife, 5)])
            _ = try await harness.answers(count: 1)
            #expect(try await harness.product(sku: "KIT-002").stock == 20)
            #expect(try await harness.bestselling().first == knife.id)

            // Two cancellations with different event ids (a bug elsewhere) still release once.
            for _ in 0..<2 {
                try await harness.publish(
                    OrderCancelled(
                        orderId: order, customerId: "c", reason: .customerRequest, stockReserved: true,
                        lines: [StockLine(productId: knife.id, quantity: 5)]))
            }
            try await harness.waitForStock(sku: "KIT-002", toBe: 25)
            // An order published after both is answered after both were handled (one consumer
            // group applies its events in order): by then a second release would have shown.
            let later = try await harness.product(sku: "KIT-001")
            try await harness.publishOrder(UUID(), lines: [(later, 1)])
            _ = try await harness.answers(count: 1)
            #expect(try await harness.product(sku: "KIT-002").stock == 25)
        }
    }
}

/// Publishes orders to the broker and reads the Product Service's answers and catalog.
struct StockHarness: Sendable {
    let client: any TestClientProtocol
    let broker: EmbeddedBroker
    let answers: any ConsumerGroup

    struct Outcome {
        var reserved: [StockReserved] = []
        var rejected: [StockRejected] = []
    }

    func product(sku: String) async throws -> ProductRepresentation {
        let response = try await client.execute(uri: "/api/v1/products?q=\(sku)", method: .get)
        let page = try JSONDecoder().decode(Contracts.Page<ProductRepresentation>.self, from: Data(response.body.readableBytesView))
        return try #require(page.items.first { $0.sku == sku })
    }

    func bestselling() async throws -> [UUID] {
        let response = try await client.execute(uri: "/api/v1/products?sort=bestselling", method: .get)
        return try JSONDecoder().decode(Contracts.Page<ProductRepresentation>.self, from: Data(response.body.readableBytesView)).items.map(\.id)
    }

    func publish<Event: DomainEvent>(_ event: Event) async throws {
        let envelope = CloudEvent(event)
        try await broker.publish([
            BrokerMessage(id: envelope.id, subject: Event.eventType, payload: Array(try EventCoding.encoder().encode(envelope)))
        ])
    }

    func publishOrder(_ id: UUID, lines: [(ProductRepresentation, Int)]) async throws {
        let orderLines = lines.map { OrderLine(productId: $0.0.id, sku: $0.0.sku, name: $0.0.name, quantity: $0.1, unitPrice: $0.0.price) }
        let total = orderLines.reduce(0) { $0 + $1.unitPrice.amount * $1.quantity }
        try await publish(
            OrderCreated(
                orderId: id, customerId: "customer", lines: orderLines, shipping: Money(amount: 0, currency: "EUR"),
                total: Money(amount: total, currency: "EUR")))
    }

    /// Waits (at most 20 s) for `count` answers.
    func answers(count: Int) async throws -> Outcome {
        var outcome = Outcome()
        let deadline = ContinuousClock.now + .seconds(20)
        while outcome.reserved.count + outcome.rejected.count < count, ContinuousClock.now < deadline {
            for delivery in try await answers.fetch(max: 100, wait: .milliseconds(200)) {
                let json = delivery.message.payload
                if delivery.message.subject == StockReserved.eventType {
                    outcome.reserved.append(try EventCoding.decoder().decode(CloudEvent<StockReserved>.self, from: Data(json)).data)
                } else {
                    outcome.rejected.append(try EventCoding.decoder().decode(CloudEvent<StockRejected>.self, from: Data(json)).data)
                }
                try await answers.ack(delivery)
            }
        }
        return outcome
    }

    func waitForStock(sku: String, toBe stock: Int) async throws {
        let deadline = ContinuousClock.now + .seconds(20)
        while try await product(sku: sku).stock != stock, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
    }
}

/// The same guarantee where it is hardest: two Product Service instances on one PostgreSQL
/// database, sharing the consumer group, take orders concurrently.
@Suite(.tags(.integration), .integrationTier, .timeLimit(.minutes(5))) struct PostgresStockReservationTests {
    @Test func twoInstancesOnPostgresNeverOversell() async throws {
        try await PostgresTestDatabase.with { location in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("stock-pg-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let logger = Logger(label: "test")
            let broker = try await EmbeddedBroker.open(
                location: .sqliteFile(path: directory.appendingPathComponent("broker.sqlite").path), logger: logger)
            let answers = try await broker.consumerGroup("test.saga", subjects: [StockReserved.eventType, StockRejected.eventType])
            let settings = ServiceSettings(server: HTTPServerSettings(port: 0), database: location, seedDemoData: true)
            // The first instance migrates and seeds before the second starts.
            let first = try await buildProductService(settings: settings, broker: broker, logger: logger)
            do {
                try await first.test(.live) { client in
                    try await buildProductService(settings: settings, broker: broker, logger: logger).test(.live) { _ in
                        let harness = StockHarness(client: client, broker: broker, answers: answers)
                        let lamp = try await harness.product(sku: "HOM-003")
                        let orders = (0..<50).map { _ in UUID() }
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            for order in orders { group.addTask { try await harness.publishOrder(order, lines: [(lamp, 1)]) } }
                            try await group.waitForAll()
                        }
                        let outcome = try await harness.answers(count: 50)
                        #expect(outcome.reserved.count == 10)
                        #expect(outcome.rejected.count == 40)
                        #expect(try await harness.product(sku: "HOM-003").stock == 0)
                    }
                }
            } catch {
                await broker.close()
                throw error
            }
            await broker.close()
        }
    }
}
