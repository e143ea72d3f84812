import Contracts
import EmbeddedPlatform
import EmporiumCore
import Foundation
import NIOHTTP1
import Testing

/// A shopper's and an admin's moves through the gateway, for the checkout suites.
struct Shop {
    let gateway: String
    let admin: String

    static func open(_ report: ReadyReport) async throws -> Shop {
        let admin = try await HTTP.login(report.gatewayURL, email: DemoAccount.admin.email, password: DemoAccount.defaultPassword).accessToken
        return Shop(gateway: report.gatewayURL, admin: admin)
    }

    /// Registers a new customer and returns their access token.
    func newCustomer(_ name: String = "Shopper") async throws -> String {
        let email = "\(name)-\(UUID().uuidString.prefix(8))@example.com".lowercased()
        let registered = try await HTTP.send(
            .POST, "\(gateway)/api/v1/users", json: Registration(email: email, password: "a long passphrase", name: name))
        try #require(registered.status == 201)
        return try await HTTP.login(gateway, email: email, password: "a long passphrase").accessToken
    }

    /// Creates a product with `stock` units at `price` cents.
    func newProduct(stock: Int, price: Int = 1_500) async throws -> ProductRepresentation {
        let sku = "TST-\(UUID().uuidString.prefix(8))"
        let product = NewProduct(
            sku: sku, name: "Test \(sku)", description: "For checkout tests.", category: "kitchen", price: Money(amount: price, currency: "EUR"),
            stock: stock)
        let response = try await HTTP.send(.POST, "\(gateway)/api/v1/products", token: admin, json: product)
        try #require(response.status == 201, "\(String(decoding: response.body, as: UTF8.self))")
        return try response.decode(ProductRepresentation.self)
    }

    func stock(of product: UUID) async throws -> Int {
        try await HTTP.get("\(gateway)/api/v1/products/\(product)").decode(ProductRepresentation.self).stock
    }

    static let address = PostalAddress(name: "Ada Lovelace", line1: "1 Engine Way", city: "Berlin", postalCode: "10115", country: "DE")

    /// `POST /api/v1/orders` with a fresh (or the given) Idempotency-Key.
    func placeOrder(_ token: String, _ items: [OrderItemRequest], key: String = UUID().uuidString, address: PostalAddress = Shop.address) async throws
        -> TestResponse
    {
        try await HTTP.send(
            .POST, "\(gateway)/api/v1/orders", token: token, json: NewOrder(items: items, shippingAddress: address),
            headers: [("Idempotency-Key", key)])
    }

    /// Places an order that must be accepted.
    func order(_ token: String, _ product: UUID, quantity: Int = 1) async throws -> OrderRepresentation {
        let response = try await placeOrder(token, [OrderItemRequest(productId: product, quantity: quantity)])
        try #require(response.status == 201, "\(String(decoding: response.body, as: UTF8.self))")
        return try response.decodeDated(OrderRepresentation.self)
    }

    func pay(_ token: String, _ order: UUID, method: String = "pm_card_visa", key: String = UUID().uuidString) async throws -> TestResponse {
        try await HTTP.send(
            .POST, "\(gateway)/api/v1/payments", token: token, json: NewPayment(orderId: order, paymentMethod: method),
            headers: [("Idempotency-Key", key)])
    }

    func read(_ token: String, order: UUID) async throws -> OrderRepresentation {
        let response = try await HTTP.get("\(gateway)/api/v1/orders/\(order)", token: token)
        try #require(response.status == 200)
        return try response.decodeDated(OrderRepresentation.self)
    }

    /// Polls the order until it reaches `status` (the saga runs asynchronously), for at most 15 s.
    @discardableResult
    func waitFor(_ status: OrderStatus, _ token: String, order: UUID) async throws -> OrderRepresentation {
        let deadline = ContinuousClock.now + .seconds(15)
        var current = try await read(token, order: order)
        while current.status != status, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
            current = try await read(token, order: order)
        }
        try #require(
            current.status == status, "order \(order) stayed \(current.status), waiting for \(status); history \(current.statusHistory.map(\.status))"
        )
        return current
    }

    func payments(_ token: String) async throws -> [PaymentRepresentation] {
        try await HTTP.get("\(gateway)/api/v1/payments?perPage=100", token: token).decodeDated(Contracts.Page<PaymentRepresentation>.self).items
    }
}

extension TestResponse {
    /// Decodes a body whose dates are ISO 8601, as every Emporium API writes them.
    func decodeDated<T: Decodable>(_ type: T.Type) throws -> T {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try decoder.decode(T.self, from: body)
    }
}
