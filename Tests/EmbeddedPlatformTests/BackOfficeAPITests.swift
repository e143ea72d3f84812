import Contracts
import EmbeddedPlatform
import EmporiumCore
import EmporiumTestSupport
import Foundation
import Testing

/// The back office's operations: an admin reads every customer's orders, filtered by status, any
/// one order, and its payments; what they are asked wrongly is a 400 naming the parameter.
@Suite(.tags(.platform), .timeLimit(.minutes(2))) struct BackOfficeAPITests {
    @Test func anAdminSeesEveryCustomersOrdersAndTheirPayments() async throws {
        try await PlatformFixture.withPlatform { report in
            let shop = try await Shop.open(report)
            let product = try await shop.newProduct(stock: 10)
            let (ada, grace) = (try await shop.newCustomer("Ada"), try await shop.newCustomer("Grace"))
            let adas = try await shop.order(ada, product.id)
            let graces = try await shop.order(grace, product.id)
            try await shop.waitFor(.awaitingPayment, ada, order: adas.id)
            #expect(try await shop.pay(ada, adas.id, method: "pm_card_chargeDeclined").status == 402)
            #expect(try await shop.pay(ada, adas.id).status == 201)
            try await shop.waitFor(.shipped, ada, order: adas.id)

            let all = try await HTTP.get("\(shop.gateway)/api/v1/admin/orders?perPage=100", token: shop.admin)
            #expect(all.status == 200)
            let ids = try all.decodeDated(Page<OrderRepresentation>.self).items.map(\.id)
            #expect(ids.contains(adas.id) && ids.contains(graces.id), "both customers' orders")
            #expect(ids.firstIndex(of: graces.id)! < ids.firstIndex(of: adas.id)!, "newest first")

            let shipped = try await HTTP.get("\(shop.gateway)/api/v1/admin/orders?status=shipped&perPage=100", token: shop.admin)
            let shippedOrders = try shipped.decodeDated(Page<OrderRepresentation>.self).items
            #expect(shippedOrders.contains { $0.id == adas.id } && !shippedOrders.contains { $0.id == graces.id })
            #expect(shippedOrders.allSatisfy { $0.status == .shipped })

            let one = try await HTTP.get("\(shop.gateway)/api/v1/admin/orders/\(graces.id)", token: shop.admin)
            #expect(one.status == 200)
            #expect(try one.decodeDated(OrderRepresentation.self).customerId == graces.customerId)

            let payments = try await HTTP.get("\(shop.gateway)/api/v1/admin/payments?orderId=\(adas.id)", token: shop.admin)
            #expect(payments.status == 200)
            let attempts = try payments.decodeDated(Page<PaymentRepresentation>.self).items
            #expect(attempts.map(\.status) == [.succeeded, .failed], "every attempt, newest first")
            #expect(attempts.allSatisfy { $0.orderId == adas.id })
        }
    }

    @Test func aWrongFilterNamesItsParameter() async throws {
        try await PlatformFixture.withPlatform { report in
            let shop = try await Shop.open(report)
            let status = try await HTTP.get("\(shop.gateway)/api/v1/admin/orders?status=lost", token: shop.admin)
            #expect(status.status == 400)
            #expect(status.problem?.field == "status")
            let empty = try await HTTP.get("\(shop.gateway)/api/v1/admin/orders?status=", token: shop.admin)
            #expect(empty.status == 400, "an empty status is no status; leaving it out asks for every one")
            #expect(empty.problem?.field == "status")
            let missing = try await HTTP.get("\(shop.gateway)/api/v1/admin/payments", token: shop.admin)
            #expect(missing.status == 400)
            #expect(missing.problem?.field == "orderId")
        }
    }
}
