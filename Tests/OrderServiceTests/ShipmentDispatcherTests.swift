import AsyncHTTPClient
import Contracts
@testable import EmporiumCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
@testable import OrderService
import ShippingAPI
import SQLKit
import Testing

/// The dispatcher against the shipping-API simulator over HTTP: a paid order is shipped, and one
/// its owner cancels while its shipment is being created does not keep a carrier label.
@Suite struct ShipmentDispatcherTests {
    static let key = "shipping-key"

    /// The real client, except that the order is cancelled by its owner just as its shipment is
    /// asked for: the moment the race happens in production.
    struct OwnerCancelsMeanwhile: ShippingCarrier {
        let client: ShippingAPIClient
        let outbox: Outbox

        func rates(to address: PostalAddress, parcel: Parcel, logger: Logger) async throws -> [Rate] {
            try await client.rates(to: address, parcel: parcel, logger: logger)
        }

        func createShipment(_ request: ShipmentRequest, logger: Logger) async throws -> Shipment {
            let id = try #require(UUID(uuidString: request.reference))
            try await outbox.transaction { transaction, events in
                try await OrderStore(transaction).apply(.cancelledByOwner, to: id, events: events)
            }
            return try await client.createShipment(request, logger: logger)
        }

        func cancelShipment(id: String, logger: Logger) async throws -> Shipment {
            try await client.cancelShipment(id: id, logger: logger)
        }
    }

    func withDispatcher(
        ownerCancels: Bool,
        _ body: @escaping @Sendable (ShipmentDispatcher, OrderSagaHandlerTests.Fixture, ShippingAPIClient) async throws -> Void
    ) async throws {
        let settings = ShippingAPISettings(server: HTTPServerSettings(port: 0), database: .sqliteMemory, apiKey: Self.key)
        try await buildShippingAPISimulator(settings: settings).test(.live) { shipping in
            let fixture = try await OrderSagaHandlerTests.Fixture.make()
            let http = OutboundHTTPClient(timeout: .seconds(5))
            let location = DependencyLocation.fixed("shipping", url: "http://127.0.0.1:\(try #require(shipping.port))")
            let client = ShippingAPIClient(dependency: DependencyClient(location: location, http: http), apiKey: Self.key)
            let resources = ServiceResources(database: fixture.database, outbox: Outbox(database: fixture.database, doorbell: Doorbell()), client: http)
            let carrier: any ShippingCarrier = ownerCancels ? OwnerCancelsMeanwhile(client: client, outbox: resources.outbox) : client
            do {
                try await body(ShipmentDispatcher(resources: resources, carrier: carrier, logger: Logger(label: "test")), fixture, client)
            } catch {
                try await http.client.shutdown()
                await fixture.close()
                throw error
            }
            try await http.client.shutdown()
            await fixture.close()
        }
    }

    /// A paid order, as the saga leaves it.
    func paidOrder(_ fixture: OrderSagaHandlerTests.Fixture) async throws -> UUID {
        let id = try await fixture.pendingOrder()
        try await fixture.database.database().sql.raw("UPDATE orders SET status = 'paid' WHERE status = 'pending'").run()
        return id
    }

    /// The shipment the API holds for `order`.
    func shipment(of order: UUID, client: ShippingAPIClient) async throws -> Shipment {
        // Asking again for the same reference returns the shipment already made.
        try await client.createShipment(
            ShipmentRequest(reference: order.uuidString, service: "standard", address: PostalAddress(name: "A", line1: "B", city: "C", postalCode: "1", country: "DE"), parcel: Parcel(weightGrams: 500)),
            logger: Logger(label: "test")
        )
    }

    @Test func aPaidOrderIsShippedAndItsShipmentStands() async throws {
        try await withDispatcher(ownerCancels: false) { dispatcher, fixture, client in
            let id = try await paidOrder(fixture)
            _ = try await dispatcher.pass()
            let order = try await fixture.order(id)
            #expect(order.status == .shipped)
            let shipment = try await shipment(of: id, client: client)
            #expect(shipment.status == "created" && order.shipment?.trackingNumber == shipment.trackingNumber)
        }
    }

    @Test func anOrderCancelledWhileItsShipmentIsCreatedGetsTheShipmentCancelled() async throws {
        try await withDispatcher(ownerCancels: true) { dispatcher, fixture, client in
            let id = try await paidOrder(fixture)
            _ = try await dispatcher.pass()
            #expect(try await fixture.order(id).status == .cancelled)
            #expect(try await shipment(of: id, client: client).status == Shipment.cancelled)
        }
    }
}
