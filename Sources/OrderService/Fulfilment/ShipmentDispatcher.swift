import Contracts
import EmporiumCore
import Foundation
import Logging
import ShippingAPI
import Tracing

/// Ships paid orders: creates each one's shipment through the shipping API, then marks it shipped
/// and writes `OrderShipped` in one transaction. An order its owner cancelled while its shipment
/// was being created has that shipment voided by the ``ShipmentVoider``, which it wakes.
///
/// Safe to repeat and to run in several instances at once: the shipping API creates one shipment
/// per reference (the order id), and the change to `shipped` is allowed only from `paid`.
struct ShipmentDispatcher: Sendable {
    let resources: ServiceResources
    let carrier: any ShippingCarrier
    /// The ``ShipmentVoider``'s.
    let voids: Doorbell
    let logger: Logger
    static let batchSize = 16

    /// Ships one batch; returns whether more paid orders may be waiting.
    func pass() async throws -> Bool {
        let waiting = try await OrderStore(resources.database.database(logger: logger)).awaitingShipment(limit: Self.batchSize)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for order in waiting { group.addTask { try await ship(order) } }
            try await group.waitForAll()
        }
        return waiting.count == Self.batchSize
    }

    /// Creates the order's shipment in the trace of the payment that made it due.
    private func ship(_ order: OrderRow) async throws {
        try await resources.database.tracer.withSpan("ship order", continuing: order.traceparent) { span in
            span.attributes["emporium.order.id"] = order.id.uuidString
            try await shipInSpan(order)
        }
    }

    private func shipInSpan(_ order: OrderRow) async throws {
        let shipment: Shipment
        do {
            let request = ShipmentRequest(
                reference: order.id.uuidString, service: order.shipping_service, address: try order.address(),
                parcel: Parcel(weightGrams: order.parcel_grams))
            shipment = try await carrier.createShipment(request, logger: logger)
        } catch let refusal as ShippingRefusal {
            // The address was accepted when the order was placed; a refusal now needs a person.
            logger.error("The shipping API refused a paid order's shipment", metadata: ["order": "\(order.id)", "error": "\(refusal)"])
            return
        }
        let columns: [(String, any Encodable & Sendable)] = [
            ("carrier", shipment.carrier), ("tracking_number", shipment.trackingNumber), ("label_url", shipment.labelUrl),
        ]
        let shipped = try await resources.outbox.transaction { transaction, events in
            try await OrderStore(transaction).apply(.shipped, to: order.id, set: columns, events: events) != nil
        }
        if shipped {
            logger.info("Order shipped", metadata: ["order": "\(order.id)", "tracking": "\(shipment.trackingNumber)"])
            return
        }
        // Not `paid` any more: shipped by another instance (the API gave it the same shipment), or
        // cancelled by its owner while the shipment was being created. Then the label must not
        // stay; the cancellation made the order owe a void, which the voider settles.
        voids.ring()
    }
}
