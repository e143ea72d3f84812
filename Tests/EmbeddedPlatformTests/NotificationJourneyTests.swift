import Contracts
import EmbeddedPlatform
import EmporiumCore
import EmporiumTestSupport
import Foundation
import NIOHTTP1
import Testing

/// The asynchronous path end to end: events from the User, Order and Payment services reach the
/// Notification Service through the broker, and each becomes one email in the mail directory.
@Suite(.tags(.platform), .timeLimit(.minutes(3))) struct NotificationJourneyTests {
    @Test func registrationAndAShippedOrderMailTheCustomerOnceEach() async throws {
        try await PlatformFixture.withPlatform { report in
            let mailDirectory = report.mailDirectory
            let shop = try await Shop.open(report)
            let customer = try await shop.newCustomer("Mailed")
            let email = try await HTTP.get("\(shop.gateway)/api/v1/users/me", token: customer).decode(UserProfile.self).email
            let product = try await shop.newProduct(stock: 3)
            let order = try await shop.order(customer, product.id)
            try await shop.waitFor(.awaitingPayment, customer, order: order.id)
            #expect(try await shop.pay(customer, order.id).status == 201)
            try await shop.waitFor(.shipped, customer, order: order.id)

            let expected: Set<String> = ["welcome", "order-received", "payment-receipt", "order-shipped"]
            let delivered = try await eventually {
                let notifications = try await notificationsOf(customer, shop)
                return Set(notifications.map(\.kind)) == expected && notifications.allSatisfy { $0.status == "sent" }
            }
            let notifications = try await notificationsOf(customer, shop)
            #expect(delivered, "\(notifications.map { "\($0.kind): \($0.status)" })")
            #expect(notifications.count == 4, "one notification per event")
            #expect(notifications.allSatisfy { $0.recipient == email })

            let files = try FileManager.default.contentsOfDirectory(atPath: mailDirectory).filter { $0.hasSuffix(".eml") }
            let mine = try files.map { try String(contentsOfFile: mailDirectory + "/" + $0, encoding: .utf8) }.filter { $0.contains("<\(email)>") }
            #expect(mine.count == 4, "exactly one email per notification")
            #expect(mine.contains { $0.contains("Subject: Welcome to Emporium") })
            #expect(mine.contains { $0.contains("Subject: Your order \(order.id.uuidString.prefix(8)) is on its way") })
            // Another customer sees none of these.
            let other = try await shop.newCustomer("Other")
            #expect(try await eventually { try await notificationsOf(other, shop).map(\.kind) == ["welcome"] })
        }
    }

    private func notificationsOf(_ token: String, _ shop: Shop) async throws -> [NotificationRepresentation] {
        try await HTTP.get("\(shop.gateway)/api/v1/notifications?perPage=50", token: token).decodeDated(
            Contracts.Page<NotificationRepresentation>.self
        ).items
    }
}
