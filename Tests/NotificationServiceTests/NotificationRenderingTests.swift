import Contracts
import Foundation
import Testing

@testable import EmporiumCore
@testable import NotificationService

/// Each event's notification, rendered from the built-in templates: both parts, money in the
/// currency's own form, and user input escaped in HTML (only there).
@Suite(.timeLimit(.minutes(2))) struct NotificationRenderingTests {
    static let orderID = UUID(uuidString: "6F7E31BD-7A54-4318-8C54-A68F930B84B6")!
    static let line = OrderLine(
        productId: UUID(), sku: "KIT-001", name: "Skillet <b>&</b> Lid", quantity: 2, unitPrice: Money(amount: 3_990, currency: "EUR"))

    static var events: [(any DomainEvent, NotificationKind, [String])] {
        let paymentID = UUID()
        return [
            (UserRegistered(userId: "u1", email: "ada@example.com", name: "Ada"), .welcome, ["ada@example.com"]),
            (
                OrderCreated(
                    orderId: orderID, customerId: "u1", lines: [line], shipping: Money(amount: 490, currency: "EUR"),
                    total: Money(amount: 8_470, currency: "EUR")),
                .orderReceived, ["€79.80", "€4.90", "€84.70", orderID.uuidString]
            ),
            (
                PaymentProcessed(
                    paymentId: paymentID, orderId: orderID, customerId: "u1", amount: Money(amount: 8_470, currency: "EUR"), outcome: .succeeded,
                    failureReason: nil),
                .paymentReceipt, ["€84.70", paymentID.uuidString]
            ),
            (
                PaymentProcessed(
                    paymentId: paymentID, orderId: orderID, customerId: "u1", amount: Money(amount: 8_470, currency: "EUR"), outcome: .failed,
                    failureReason: "insufficient_funds"),
                .paymentDeclined, ["€84.70", "insufficient funds", "another card"]
            ),
            (
                OrderShipped(orderId: orderID, customerId: "u1", carrier: "Emporium Post", trackingNumber: "EP123"), .orderShipped,
                ["Emporium Post", "EP123"]
            ),
            (
                OrderCancelled(orderId: orderID, customerId: "u1", reason: .expired, stockReserved: true, lines: []), .orderCancelled,
                ["not paid in time"]
            ),
            (
                PaymentRefunded(
                    paymentId: paymentID, refundId: "re_1", orderId: orderID, customerId: "u1", amount: Money(amount: 8_470, currency: "EUR")),
                .paymentRefunded, ["€84.70", "re_1"]
            ),
        ]
    }

    static func received<Event: DomainEvent>(_ event: Event) throws -> ReceivedEvent {
        let envelope = CloudEvent(event)
        let json = Array(try EventCoding.encoder().encode(envelope))
        return ReceivedEvent(header: try EventCoding.decoder().decode(CloudEventHeader.self, from: Data(json)), json: json)
    }

    @Test func everyEventRendersBothPartsWithItsValues() async throws {
        let templates = try await NotificationTemplates.load(overrides: nil)
        #expect(Set(Self.events.map(\.1)) == Set(NotificationKind.allCases))
        for (event, kind, expected) in Self.events {
            var notice = try NotificationComposer.notice(for: try Self.received(event))
            #expect(notice.kind == kind)
            #expect(notice.userID == "u1")
            notice.values["name"] = "Ada <script>alert(1)</script>"
            let (text, html) = try templates.render(kind, notice.values)
            for value in expected {
                #expect(text.contains(value), "\(kind) text lacks \(value): \(text)")
            }
            #expect(text.contains("Hello Ada <script>alert(1)</script>,"), "\(kind): text is not escaped")
            #expect(html.contains("Ada &lt;script&gt;alert(1)&lt;/script&gt;"), "\(kind): HTML must escape user input")
            #expect(!html.contains("<script>"), "\(kind)")
            if kind != .welcome { #expect(kind.subject(notice.values).contains("6F7E31BD")) }
        }
    }

    @Test func productNamesAreEscapedInHTML() async throws {
        let templates = try await NotificationTemplates.load(overrides: nil)
        let created = OrderCreated(
            orderId: Self.orderID, customerId: "u1", lines: [Self.line], shipping: Money(amount: 490, currency: "EUR"),
            total: Money(amount: 8_470, currency: "EUR"))
        var notice = try NotificationComposer.notice(for: try Self.received(created))
        notice.values["name"] = "Ada"
        let (text, html) = try templates.render(.orderReceived, notice.values)
        #expect(text.contains("2 × Skillet <b>&</b> Lid — €79.80"))
        #expect(html.contains("Skillet &lt;b&gt;&amp;&lt;/b&gt; Lid"))
    }

    @Test func anOperatorsTemplateReplacesTheBuiltInOne() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "{{% CONTENT_TYPE: TEXT}}Moin {{name}}!".write(
            to: directory.appendingPathComponent("welcome.text.mustache"), atomically: true, encoding: .utf8)
        let templates = try await NotificationTemplates.load(overrides: directory.path)
        let (text, html) = try templates.render(.welcome, ["name": "Ada", "email": "ada@example.com"])
        #expect(text == "Moin Ada!")
        #expect(html.contains("welcome to Emporium"))
    }

    @Test func moneyIsFormattedForItsCurrency() {
        #expect(MoneyFormat.string(Money(amount: 8_470, currency: "EUR")) == "€84.70")
        #expect(MoneyFormat.string(Money(amount: 123_456_789, currency: "USD")) == "$1,234,567.89")
        #expect(MoneyFormat.string(Money(amount: 5, currency: "GBP")) == "£0.05")
        #expect(MoneyFormat.string(Money(amount: 1_500, currency: "JPY")) == "¥1,500")
        #expect(MoneyFormat.string(Money(amount: 1_234, currency: "KWD")) == "1.234 KWD")
        #expect(MoneyFormat.string(Money(amount: -250, currency: "CHF")) == "-2.50 CHF")
    }
}
