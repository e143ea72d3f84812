import EmporiumCore
import Foundation
import Logging
import ShippingAPI

/// Voids the carrier label of every order cancelled while it was paid, until it is sure none
/// stands: the shipping API is asked for the order's shipment by reference (the order id), and a
/// shipment that is not cancelled yet is cancelled.
///
/// A paid order can have a shipment the order does not know of: the ``ShipmentDispatcher``
/// creates it at the API before recording it, so a dispatcher that crashed in between, or one
/// still waiting for the API's answer when the owner cancelled, leaves a label the order never
/// records. So an order stays owed until its shipment is cancelled, or until no shipment has
/// appeared for ``inFlightWindow`` after the cancellation (by then any creation that was under way
/// has answered or given up). A failure leaves the order owed for the next pass: nothing is
/// dropped because the API was down.
struct ShipmentVoider: Sendable {
    let resources: ServiceResources
    let carrier: any ShippingCarrier
    /// How long a shipment may still appear after its order was cancelled.
    let inFlightWindow: Duration
    let logger: Logger
    static let batchSize = 16

    /// The longest a shipment creation can take: the shipping client's attempts and their deadlines, with room to spare.
    static let defaultInFlightWindow = Duration.seconds(120)

    init(resources: ServiceResources, carrier: any ShippingCarrier, inFlightWindow: Duration = defaultInFlightWindow, logger: Logger) {
        self.resources = resources
        self.carrier = carrier
        self.inFlightWindow = inFlightWindow
        self.logger = logger
    }

    /// Looks after one batch of owed orders; returns whether more may be waiting now.
    ///
    /// Orders still inside their window stay owed and are looked at again on a later pass, so a
    /// full batch of them is not a reason to come straight back.
    func pass() async throws -> Bool {
        let store = try OrderStore(resources.database.database(logger: logger))
        let owed = try await store.owingShipmentVoid(limit: Self.batchSize)
        var settled = 0
        for order in owed {
            do {
                if try await voidShipment(of: order.id, cancelledAt: order.since) {
                    try await store.settleShipmentVoid(order.id)
                    settled += 1
                }
            } catch {
                logger.warning(
                    "Could not void a cancelled order's shipment yet; trying again", metadata: ["order": "\(order.id)", "error": "\(error)"])
            }
        }
        return owed.count == Self.batchSize && settled > 0
    }

    /// Makes sure order `id` has no standing shipment; returns whether that is now certain.
    private func voidShipment(of id: UUID, cancelledAt: Double) async throws -> Bool {
        guard let shipment = try await carrier.shipment(reference: id.uuidString, logger: logger) else {
            let waited = Date().timeIntervalSince1970 - cancelledAt
            return waited >= inFlightWindow.seconds
        }
        if shipment.status != Shipment.cancelled {
            _ = try await carrier.cancelShipment(id: shipment.id, logger: logger)
            logger.notice("Shipment voided: its order was cancelled", metadata: ["order": "\(id)", "shipment": "\(shipment.id)"])
        }
        // Cancelled stays cancelled, and the API creates one shipment per reference: a later
        // creation for this order gets this cancelled shipment back, not a new label.
        return true
    }
}
