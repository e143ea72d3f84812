import Contracts
import Foundation
import Testing

/// Each event type's wire shape, pinned by a golden file: a change to a payload that a consumer
/// could notice fails here, and must become a new event version instead.
///
/// To write the files after adding an event type: `EMPORIUM_RECORD_GOLDEN=1 swift test --filter ContractsTests`,
/// then read the new files before committing them.
@Suite(.timeLimit(.minutes(2))) struct EventContractTests {
    static let time = Date(timeIntervalSince1970: 1_767_323_045)  // 2026-01-02T03:04:05Z
    static let orderId = UUID(uuidString: "0F7C2D0A-3B4E-4C5D-8E9F-0A1B2C3D4E5F")!
    static let productId = UUID(uuidString: "7A8B9C0D-1E2F-4A3B-8C4D-5E6F7A8B9C0D")!
    static let paymentId = UUID(uuidString: "C0FFEE00-1234-4567-89AB-CDEF01234567")!
    static let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
    static func euros(_ cents: Int) -> Money { Money(amount: cents, currency: "EUR") }

    static let lamp = ProductRepresentation(
        id: productId, sku: "HOM-003", name: "Ceramic Table Lamp", description: "Hand-glazed base with a linen shade.",
        category: "home", price: euros(6_800), stock: 10
    )

    func check<E: DomainEvent>(_ payload: E, file: String) throws {
        let event = CloudEvent(payload, id: "evt-\(file)", time: Self.time, traceparent: Self.traceparent)
        let encoded = try EventCoding.encoder().encode(event)
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(file).json")
        if ProcessInfo.processInfo.environment["EMPORIUM_RECORD_GOLDEN"] == "1" {
            try (String(decoding: encoded, as: UTF8.self) + "\n").write(to: url, atomically: true, encoding: .utf8)
        }
        let golden = try String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(String(decoding: encoded, as: UTF8.self) == golden, "\(E.eventType) no longer matches Golden/\(file).json")
        // The outbox's own writer produces the same bytes.
        #expect(try event.encodedJSON(payloadEncoder: EventCoding.encoder()) == Array(encoded))

        // The golden bytes decode back to the same event, and their envelope reads without the payload type.
        let decoded = try EventCoding.decoder().decode(CloudEvent<E>.self, from: Data(golden.utf8))
        #expect(decoded == event)
        let header = try EventCoding.decoder().decode(CloudEventHeader.self, from: Data(golden.utf8))
        #expect(header.type == E.eventType && header.specversion == "1.0" && header.traceparent == Self.traceparent)
        #expect(E.eventType.hasSuffix(".v1"))
    }

    @Test func userRegistered() throws {
        try check(UserRegistered(userId: "u-123", email: "ada@example.com", name: "Ada Lovelace"), file: "user.registered.v1")
    }

    @Test func productUpdated() throws {
        try check(ProductUpdated(version: 3, changedFields: ["price", "stock"], deleted: false, product: Self.lamp), file: "product.updated.v1")
    }

    @Test func stockReserved() throws {
        try check(StockReserved(orderId: Self.orderId, lines: [StockLine(productId: Self.productId, quantity: 2)]), file: "product.stock-reserved.v1")
    }

    @Test func stockRejected() throws {
        let shortage = StockRejected.Shortage(productId: Self.productId, requested: 12, available: 10)
        try check(StockRejected(orderId: Self.orderId, shortages: [shortage]), file: "product.stock-rejected.v1")
    }

    @Test func orderCreated() throws {
        let line = OrderLine(productId: Self.productId, sku: "HOM-003", name: "Ceramic Table Lamp", quantity: 2, unitPrice: Self.euros(6_800))
        let event = OrderCreated(orderId: Self.orderId, customerId: "u-123", lines: [line], shipping: Self.euros(490), total: Self.euros(14_090))
        try check(event, file: "order.created.v1")
    }

    @Test func orderCancelled() throws {
        let event = OrderCancelled(
            orderId: Self.orderId, customerId: "u-123", reason: .customerRequest, stockReserved: true,
            lines: [StockLine(productId: Self.productId, quantity: 2)]
        )
        try check(event, file: "order.cancelled.v1")
    }

    @Test func orderShipped() throws {
        try check(
            OrderShipped(orderId: Self.orderId, customerId: "u-123", carrier: "Emporium Post", trackingNumber: "EP123456789"),
            file: "order.shipped.v1")
    }

    @Test func paymentProcessed() throws {
        let event = PaymentProcessed(
            paymentId: Self.paymentId, orderId: Self.orderId, customerId: "u-123", amount: Self.euros(14_090),
            outcome: .failed, failureReason: "card_declined"
        )
        try check(event, file: "payment.processed.v1")
    }

    @Test func paymentRefunded() throws {
        let event = PaymentRefunded(
            paymentId: Self.paymentId, refundId: "re_123", orderId: Self.orderId, customerId: "u-123", amount: Self.euros(14_090))
        try check(event, file: "payment.refunded.v1")
    }

    @Test func envelopeRejectsAPayloadOfAnotherShape() throws {
        let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/order.shipped.v1.json")
        #expect(throws: DecodingError.self) { try EventCoding.decoder().decode(CloudEvent<OrderCreated>.self, from: try Data(contentsOf: golden)) }
    }
}
