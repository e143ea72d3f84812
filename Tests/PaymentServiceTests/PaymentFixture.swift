import AsyncHTTPClient
import Contracts
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PaymentGateway
import SQLKit
import Testing

@testable import EmporiumCore
@testable import PaymentService

/// The Payment Service's parts on a SQLite file of their own, charging through the real
/// payment-gateway simulator on a free port.
struct PaymentFixture {
    let directory: URL
    let database: ServiceDatabase
    let resources: ServiceResources
    let gateway: PaymentGatewayClient
    let refunds = Doorbell()
    let logger = Logger(label: "test")

    /// Runs `body` with the fixture while the simulator listens.
    static func with(_ body: @escaping @Sendable (PaymentFixture) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("payment-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let secret = "sk_test_" + UUID().uuidString
        let simulator = try await buildPaymentGatewaySimulator(
            settings: PaymentGatewaySettings(
                server: HTTPServerSettings(port: 0),
                database: .sqliteFile(path: directory.appendingPathComponent("gateway.sqlite").path),
                secretKey: secret
            )
        )
        try await simulator.test(.live) { client in
            let port = try #require(client.port)
            let database = try await ServiceDatabase.open(
                .sqliteFile(path: directory.appendingPathComponent("payment.sqlite").path),
                migrations: ServiceMessaging.migrations + [CreatePayments()],
                logger: Logger(label: "test")
            )
            let http = OutboundHTTPClient()
            let fixture = PaymentFixture(
                directory: directory,
                database: database,
                resources: ServiceResources(database: database, outbox: Outbox(database: database, doorbell: Doorbell()), client: http),
                gateway: PaymentGatewayClient(
                    dependency: DependencyClient(location: .fixed("payment-gateway", url: "http://127.0.0.1:\(port)"), http: http), secretKey: secret)
            )
            do {
                try await body(fixture)
            } catch {
                try await http.client.shutdown()
                await database.close()
                throw error
            }
            try await http.client.shutdown()
            await database.close()
        }
    }

    func charges(stalledAfter: Duration = .seconds(30)) -> ChargeProcessor {
        ChargeProcessor(resources: resources, gateway: gateway, refunds: refunds, stalledAfter: stalledAfter, logger: logger)
    }

    /// An order awaiting payment, as the Order Service would answer for it.
    static func order(total: Int = 2_490) -> OrderRepresentation {
        OrderRepresentation(
            id: UUID(),
            customerId: "customer-1",
            status: .awaitingPayment,
            lines: [],
            subtotal: Money(amount: total, currency: "EUR"),
            shipping: Money(amount: 0, currency: "EUR"),
            total: Money(amount: total, currency: "EUR"),
            shippingAddress: PostalAddress(name: "A", line1: "B", city: "C", postalCode: "1", country: "DE"),
            shipment: nil,
            statusHistory: [],
            createdAt: Date(),
            payBy: Date().addingTimeInterval(600)
        )
    }

    func payment(_ id: UUID) async throws -> PaymentRow? {
        try await PaymentStore(database.database()).find(id)
    }

    /// The events the service wrote to its outbox, by type, oldest first.
    func published() async throws -> [String] {
        try await database.database().sql.raw("SELECT subject FROM outbox_events ORDER BY position").all(decodingColumn: "subject", as: String.self)
    }

    /// Delivers `event` to the refund consumer's handler, as its consumer would.
    func deliver(_ cancellation: OrderCancelled) async throws {
        let json = Array(try EventCoding.encoder().encode(CloudEvent(cancellation)))
        let event = ReceivedEvent(header: try EventCoding.decoder().decode(CloudEventHeader.self, from: Data(json)), json: json)
        try await resources.outbox.transaction { transaction, events in
            try await RefundOnCancellation(refunds: refunds).handle(event, on: transaction, events: events)
        }
    }
}
