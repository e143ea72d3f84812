import Contracts
import EmbeddedPlatform
import EmporiumCore
import EmporiumTestSupport
import Foundation
import NIOHTTP1
import Testing

/// "Bought together": the Product Service counts the products of every `OrderCreated` it
/// receives, and anyone reads a product's companions, most often ordered together first.
@Suite(.tags(.platform), .timeLimit(.minutes(2))) struct BoughtTogetherTests {
    func companions(_ shop: Shop, of product: UUID, query: String = "") async throws -> [BoughtTogether.Companion] {
        let answer = try await HTTP.get("\(shop.gateway)/api/v1/products/\(product)/bought-together\(query)")
        try #require(answer.status == 200, "\(String(decoding: answer.body, as: UTF8.self))")
        return try answer.decode(BoughtTogether.self).items
    }

    @Test func ordersMakeCompanionsMostOftenOrderedTogetherFirst() async throws {
        try await PlatformFixture.withPlatform { report in
            let shop = try await Shop.open(report)
            let (kettle, mug, tea) = (
                try await shop.newProduct(stock: 20), try await shop.newProduct(stock: 20), try await shop.newProduct(stock: 20)
            )
            let (ada, grace) = (try await shop.newCustomer("Ada"), try await shop.newCustomer("Grace"))
            #expect(try await companions(shop, of: kettle.id).isEmpty, "nothing ordered yet")

            for (customer, items) in [(ada, [kettle.id, mug.id]), (grace, [kettle.id, mug.id, tea.id])] {
                let placed = try await shop.placeOrder(customer, items.map { OrderItemRequest(productId: $0, quantity: 1) })
                try #require(placed.status == 201)
            }
            let counted = try await eventually { try await companions(shop, of: kettle.id).map(\.orderedTogether) == [2, 1] }
            #expect(counted, "the mug, in both orders, before the tea, in one")
            #expect(try await companions(shop, of: kettle.id).map(\.product.id) == [mug.id, tea.id])
            #expect(
                try await companions(shop, of: tea.id).map(\.product.id).sorted { $0.uuidString < $1.uuidString }
                    == [kettle.id, mug.id].sorted { $0.uuidString < $1.uuidString })
            #expect(try await companions(shop, of: kettle.id, query: "?limit=1").map(\.product.id) == [mug.id])

            // A product deleted from the catalog is nobody's companion any more.
            let deleted = try await HTTP.send(.DELETE, "\(shop.gateway)/api/v1/products/\(tea.id)", token: shop.admin)
            #expect(deleted.status == 204)
            #expect(try await companions(shop, of: kettle.id).map(\.product.id) == [mug.id])
        }
    }

    @Test func anUnknownProductOrAWrongLimitIsAProblem() async throws {
        try await PlatformFixture.withPlatform { report in
            let shop = try await Shop.open(report)
            let unknown = try await HTTP.get("\(shop.gateway)/api/v1/products/\(UUID())/bought-together")
            #expect(unknown.status == 404)
            let product = try await shop.newProduct(stock: 1)
            for limit in ["0", "21", "many"] {
                let wrong = try await HTTP.get("\(shop.gateway)/api/v1/products/\(product.id)/bought-together?limit=\(limit)")
                #expect(wrong.status == 400 && wrong.problem?.field == "limit", "limit=\(limit)")
            }
        }
    }
}
