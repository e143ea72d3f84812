import AsyncHTTPClient
import Contracts
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import SQLKit
import ShippingAPI
import Testing

@testable import EmporiumCore
@testable import OrderService

/// The dispatcher and the voider against the shipping-API simulator over HTTP: a paid order is
/// shipped, and one its owner cancels while it is paid never keeps a carrier label — whether the
/// shipment was being created at that moment or was made by a dispatcher that crashed before
/// recording it.
@Suite(.timeLimit(.minutes(2))) struct ShipmentDispatcherTests {
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

        func shipment(reference: String, logger: Logger) async throws -> Shipment? {
            try await client.shipment(reference: reference, logger: logger)
        }

        func cancelShipment(id: String, logger: Logger) async throws -> Shipment {
            try await client.cancelShipment(id: id, logger: logger)
        }
    }

    /// A shipping API that cannot be reached.
    struct UnreachableCarrier: ShippingCarrier {
        func rates(to address: PostalAddress, parcel: Parcel, logger: Logger) async throws -> [Rate] { throw unreachable }
        func createShipment(_ request: ShipmentRequest, logger: Logger) async throws -> Shipment { throw unreachable }
        func shipment(reference: String, logger: Logger) async throws -> Shipment? { throw unreachable }
        func cancelShipment(id: String, logger: Logger) async throws -> Shipment { throw unreachable }
        var unreachable: DependencyFailure { DependencyFailure(dependency: "shipping", reason: "connection refused") }
    }

    /// What a test works with.
    struct Parts {
        let dispatcher: ShipmentDispatcher
        let fixture: OrderSagaHandlerTests.Fixture
        let client: ShippingAPIClient
        let resources: ServiceResources
        let voids: Doorbell

        func voider(inFlightWindow: Duration = ShipmentVoider.defaultInFlightWindow, carrier: (any ShippingCarrier)? = nil) -> ShipmentVoider {
            ShipmentVoider(resources: resources, carrier: carrier ?? client, inFlightWindow: inFlightWindow, logger: Logger(label: "test"))
        }

        /// The orders that still owe a void.
        func owing() async throws -> [UUID] {
            try await OrderStore(fixture.database.database()).owingShipmentVoid(limit: 100).map(\.id)
        }

        /// What the owner's `POST /orders/{id}/cancel` does to the order.
        func ownerCancels(_ id: UUID) async throws {
            try await resources.outbox.transaction { transaction, events in
                try await OrderStore(transaction).apply(.cancelledByOwner, to: id, events: events)
            }
        }
    }

    func withDispatcher(
        ownerCancels: Bool,
        _ body: @escaping @Sendable (Parts) async throws -> Void
    ) async throws {
        let settings = ShippingAPISettings(server: HTTPServerSettings(port: 0), database: .sqliteMemory, apiKey: Self.key)
        try await buildShippingAPISimulator(settings: settings).test(.live) { shipping in
            let fixture = try await OrderSagaHandlerTests.Fixture.make()
            let http = OutboundHTTPClient(timeout: .seconds(5))
            let location = DependencyLocation.fixed("shipping", url: "http://127.0.0.1:\(try #require(shipping.port))")
            let client = ShippingAPIClient(dependency: DependencyClient(location: location, http: http), apiKey: Self.key)
            let resources = ServiceResources(
                database: fixture.database, outbox: Outbox(database: fixture.database, doorbell: Doorbell()), client: http)
            let carrier: any ShippingCarrier = ownerCancels ? OwnerCancelsMeanwhile(client: client, outbox: resources.outbox) : client
            let voids = Doorbell()
            let dispatcher = ShipmentDispatcher(resources: resources, carrier: carrier, voids: voids, logger: Logger(label: "test"))
            do {
                try await body(Parts(dispatcher: dispatcher, fixture: fixture, client: client, resources: resources, voids: voids))
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
            ShipmentRequest(
                reference: order.uuidString, service: "standard",
                address: PostalAddress(name: "A", line1: "B", city: "C", postalCode: "1", country: "DE"), parcel: Parcel(weightGrams: 500)),
            logger: Logger(label: "test")
        )
    }

    @Test func aPaidOrderIsShippedAndItsShipmentStands() async throws {
        try await withDispatcher(ownerCancels: false) { parts in
            let id = try await paidOrder(parts.fixture)
            _ = try await parts.dispatcher.pass()
            let order = try await parts.fixture.order(id)
            #expect(order.status == .shipped)
            let shipment = try await shipment(of: id, client: parts.client)
            #expect(shipment.status == "created" && order.shipment?.trackingNumber == shipment.trackingNumber)
            #expect(try await parts.owing().isEmpty)
        }
    }

    @Test func anOrderCancelledWhileItsShipmentIsCreatedGetsTheShipmentVoided() async throws {
        try await withDispatcher(ownerCancels: true) { parts in
            let id = try await paidOrder(parts.fixture)
            _ = try await parts.dispatcher.pass()
            #expect(try await parts.fixture.order(id).status == .cancelled)
            // The dispatcher found the order cancelled under it and woke the voider (a remembered
            // ring ends the wait at once).
            let waitStarted = ContinuousClock.now
            await parts.voids.wait(upTo: .seconds(10))
            #expect(ContinuousClock.now - waitStarted < .seconds(5))
            #expect(try await parts.owing() == [id])
            _ = try await parts.voider().pass()
            #expect(try await parts.client.shipment(reference: id.uuidString, logger: Logger(label: "test"))?.status == Shipment.cancelled)
            #expect(try await parts.owing().isEmpty)
        }
    }

    @Test func aShipmentLeftByACrashedDispatcherIsVoidedWhenTheOrderIsCancelled() async throws {
        try await withDispatcher(ownerCancels: false) { parts in
            let id = try await paidOrder(parts.fixture)
            // The dispatcher created the shipment and died before recording it: the order is still paid.
            let orphan = try await shipment(of: id, client: parts.client)
            #expect(try await parts.fixture.order(id).status == .paid)
            try await parts.ownerCancels(id)

            // While the API cannot be reached, the order stays owed.
            _ = try await parts.voider(carrier: UnreachableCarrier()).pass()
            #expect(try await parts.owing() == [id])

            _ = try await parts.voider().pass()
            let voided = try #require(try await parts.client.shipment(reference: id.uuidString, logger: Logger(label: "test")))
            #expect(voided.id == orphan.id && voided.status == Shipment.cancelled)
            #expect(try await parts.owing().isEmpty)
        }
    }

    @Test func aCancelledPaidOrderWithoutAShipmentIsOwedUntilNoCreationCanStillBeUnderWay() async throws {
        try await withDispatcher(ownerCancels: false) { parts in
            let id = try await paidOrder(parts.fixture)
            try await parts.ownerCancels(id)
            _ = try await parts.voider().pass()
            #expect(try await parts.owing() == [id])
            _ = try await parts.voider(inFlightWindow: .zero).pass()
            #expect(try await parts.owing().isEmpty)
            #expect(try await parts.client.shipment(reference: id.uuidString, logger: Logger(label: "test")) == nil)
        }
    }

    @Test func anOrderCancelledBeforeItWasPaidOwesNoVoid() async throws {
        try await withDispatcher(ownerCancels: false) { parts in
            let id = try await parts.fixture.pendingOrder()
            try await parts.ownerCancels(id)
            #expect(try await parts.fixture.order(id).status == .cancelled)
            #expect(try await parts.owing().isEmpty)
        }
    }
}
