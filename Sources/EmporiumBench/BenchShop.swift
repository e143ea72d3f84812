import ArgumentParser
import EmporiumClient
import Foundation

/// The benchmark's client: the storefront's calls through the client generated from the
/// public API's contract (`EmporiumClient`), over keep-alive connections to the gateway.
struct BenchShop: Sendable {
    let gateway: URL
    let poll: Duration

    init(gateway: String, poll: Duration) throws {
        guard let url = URL(string: gateway) else { throw ValidationError("\(gateway) is not a URL") }
        self.gateway = url
        self.poll = poll
    }

    /// Adds a product with `units` in stock, as the admin, and returns its id.
    func stockedProduct(units: Int, admin credentials: (email: String, password: String)) async throws -> String {
        let api = EmporiumAPI.client(gatewayURL: gateway, token: try await login(credentials.email, credentials.password))
        let product = Components.Schemas.NewProduct(
            sku: "BEN-\(UUID().uuidString.prefix(6))", name: "Benchmark Mug", description: "Measured.", category: "kitchen",
            price: .init(amount: 1_000, currency: .eur), stock: units)
        guard case .created(let created) = try await api.createProduct(body: .json(product)) else {
            throw ValidationError("the product could not be created")
        }
        return try created.body.json.id
    }

    /// Registers a customer and returns their access token.
    func newCustomer(_ index: Int) async throws -> String {
        let email = "bench-\(index)-\(UUID().uuidString.prefix(6))@example.com".lowercased()
        let registration = Components.Schemas.Registration(email: email, password: "a long passphrase", name: "Bench \(index)")
        let answer = try await EmporiumAPI.client(gatewayURL: gateway).registerUser(body: .json(registration))
        guard case .created = answer else { throw ValidationError("registering \(email) answered \(answer)") }
        return try await login(email, "a long passphrase")
    }

    /// Places an order, waits for its stock, pays it and waits until it has shipped.
    func checkout(_ token: String, product: String) async throws {
        let api = EmporiumAPI.client(gatewayURL: gateway, token: token)
        let address = Components.Schemas.PostalAddress(name: "Bench", line1: "1 Load Street", city: "Berlin", postalCode: "10115", country: "DE")
        let order = Components.Schemas.NewOrder(items: [.init(productId: product, quantity: 1)], shippingAddress: address)
        let placed = try await api.createOrder(headers: .init(idempotencyKey: UUID().uuidString), body: .json(order))
        guard case .created(let created) = placed else { throw ValidationError("checkout answered \(placed)") }
        let id = try created.body.json.id
        try await waitFor(.awaitingPayment, api: api, order: id)
        let payment = Components.Schemas.NewPayment(orderId: id, paymentMethod: "pm_card_visa")
        let paid = try await api.payOrder(headers: .init(idempotencyKey: UUID().uuidString), body: .json(payment))
        guard case .created = paid else { throw ValidationError("paying \(id) answered \(paid)") }
        try await waitFor(.shipped, api: api, order: id)
    }

    private func waitFor(_ status: Components.Schemas.OrderStatus, api: Client, order: String) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while try await api.getOrder(path: .init(id: order)).ok.body.json.status != status {
            guard ContinuousClock.now < deadline else { throw ValidationError("order \(order) did not reach \(status) within 30 s") }
            try await Task.sleep(for: poll)
        }
    }

    private func login(_ email: String, _ password: String) async throws -> String {
        let form = Components.Schemas.TokenRequest(grantType: .password, clientId: "emporium-web", username: email, password: password)
        return try await EmporiumAPI.client(gatewayURL: gateway).requestToken(body: .urlEncodedForm(form)).ok.body.json.accessToken
    }
}
