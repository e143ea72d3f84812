import EmporiumClient
import Foundation

/// The public API as the signed-in customer: their profile, checkout, orders and payments,
/// each call carrying their access token (which never leaves the storefront). Error answers
/// arrive as thrown ``APIProblem``s, as from ``ShopAPI``; a 401 means the token is no longer
/// good and the customer must sign in again.
struct CustomerAPI: Sendable {
    typealias Address = Components.Schemas.PostalAddress
    typealias Profile = Components.Schemas.UserProfile
    typealias Order = Components.Schemas.Order
    typealias Quote = Components.Schemas.OrderQuote
    typealias Payment = Components.Schemas.Payment
    typealias Notification = Components.Schemas.Notification
    typealias Item = Components.Schemas.NewOrder.ItemsPayloadPayload

    let shop: ShopAPI
    let token: String

    private func client() throws -> Client { try shop.client(token: token) }

    /// The customer's profile, with their saved addresses.
    func profile() async throws -> Profile {
        try await shop.calling { try await client().getMyProfile().ok.body.json }
    }

    /// Replaces the saved addresses (the first is the default).
    func saveAddresses(_ addresses: [Address]) async throws {
        _ = try await shop.calling {
            try await client().updateMyProfile(body: .json(.init(shippingAddresses: addresses))).ok.body.json
        }
    }

    /// Changes the profile's name.
    func rename(to name: String) async throws -> Profile {
        try await shop.calling { try await client().updateMyProfile(body: .json(.init(name: name))).ok.body.json }
    }

    /// One page of the e-mails sent to the customer, newest first.
    func notifications(page: Int, perPage: Int) async throws -> Components.Schemas.NotificationPage {
        try await shop.calling { try await client().listNotifications(query: .init(page: page, perPage: perPage)).ok.body.json }
    }

    /// What `items` sent to `address` would cost now.
    func quote(_ items: [Item], to address: Address) async throws -> Quote {
        try await shop.calling {
            try await client().quoteOrder(body: .json(.init(items: items, shippingAddress: address))).ok.body.json
        }
    }

    /// Places the order once per `key`: the same key again answers with the same order.
    func placeOrder(_ items: [Item], to address: Address, key: String) async throws -> Order {
        try await shop.calling {
            try await client().createOrder(headers: .init(idempotencyKey: key), body: .json(.init(items: items, shippingAddress: address)))
                .created.body.json
        }
    }

    /// The order `id`, or nil when the customer has no such order.
    func order(_ id: String) async throws -> Order? {
        do {
            return try await shop.calling { try await client().getOrder(path: .init(id: id)).ok.body.json }
        } catch let problem as APIProblem where problem.status == 404 || problem.status == 400 {
            return nil
        }
    }

    /// One page of the customer's orders, newest first.
    func orders(page: Int, perPage: Int) async throws -> Components.Schemas.OrderPage {
        try await shop.calling { try await client().listOrders(query: .init(page: page, perPage: perPage)).ok.body.json }
    }

    /// Pays order `id` with `method` once per `key`.
    func pay(_ id: String, with method: String, key: String) async throws -> Payment {
        try await shop.calling {
            try await client().payOrder(headers: .init(idempotencyKey: key), body: .json(.init(orderId: id, paymentMethod: method)))
                .created.body.json
        }
    }

    /// Cancels order `id`.
    func cancel(_ id: String) async throws -> Order {
        try await shop.calling { try await client().cancelOrder(path: .init(id: id)).ok.body.json }
    }

    /// The customer's most recent payments, newest first.
    func recentPayments() async throws -> [Payment] {
        try await shop.calling { try await client().listPayments(query: .init(page: 1, perPage: 100)).ok.body.json.value2.items }
    }
}
