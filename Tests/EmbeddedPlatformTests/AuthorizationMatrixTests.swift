import AsyncHTTPClient
import Contracts
import EmbeddedPlatform
import EmporiumCore
import EmporiumTestSupport
import Foundation
import NIOHTTP1
import Testing

/// Every route of every service × anonymous, customer A, customer B and admin, through the
/// gateway — and the same checks straight at the service, which must not rely on the gateway.
@Suite(.tags(.platform), .timeLimit(.minutes(3))) struct AuthorizationMatrixTests {
    /// The callers of the matrix.
    enum Caller: CaseIterable {
        case anonymous, customerA, customerB, admin
    }

    struct Callers {
        var tokens: [Caller: String]
        var ids: [Caller: UUID]
        func token(_ caller: Caller) -> String? { tokens[caller] }
    }

    /// Registers customers A and B and logs everyone in.
    static func callers(_ gateway: String) async throws -> Callers {
        var tokens: [Caller: String] = [:]
        var ids: [Caller: UUID] = [:]
        for caller in [Caller.customerA, .customerB] {
            let email = "\(caller)-\(UUID().uuidString.prefix(8))@example.com".lowercased()
            let registered = try await HTTP.send(
                .POST,
                "\(gateway)/api/v1/users",
                json: Registration(email: email, password: "a long passphrase", name: "\(caller)")
            )
            try #require(registered.status == 201)
            ids[caller] = try registered.decode(UserProfile.self).id
            tokens[caller] = try await HTTP.login(gateway, email: email, password: "a long passphrase").accessToken
        }
        tokens[.admin] = try await HTTP.login(gateway, email: DemoAccount.admin.email, password: DemoAccount.defaultPassword).accessToken
        ids[.admin] = DemoAccount.admin.id
        return Callers(tokens: tokens, ids: ids)
    }

    /// One row: a route and the status each caller gets.
    struct Row: CustomStringConvertible {
        var method: HTTPMethod
        var path: String
        var json: (any Encodable & Sendable)?
        /// Headers beyond the token (the `Idempotency-Key` of the creating routes).
        var headers: [(String, String)] = []
        var expected: [Caller: Int]
        var description: String { "\(method.rawValue) \(path)" }
    }

    static func rows(product: UUID) -> [Row] {
        let everyone = { (status: Int) in Dictionary(uniqueKeysWithValues: Caller.allCases.map { ($0, status) }) }
        let signedIn = { (status: Int) in [Caller.anonymous: 401, .customerA: status, .customerB: status, .admin: status] }
        return [
            Row(method: .GET, path: "/api/v1/products", expected: everyone(200)),
            // Registration is open to everyone: an address taken is refused as such, not as unauthorized.
            Row(
                method: .POST,
                path: "/api/v1/users",
                json: Registration(email: DemoAccount.customer.email, password: "a long passphrase", name: "Again"),
                expected: everyone(409)
            ),
            Row(
                method: .POST,
                path: "/api/v1/products",
                json: NewProduct(
                    sku: "MAT-001", name: "Matrix Mug", description: "Stoneware.", category: "kitchen", price: Money(amount: 1_200, currency: "EUR"),
                    stock: 3),
                expected: [.anonymous: 401, .customerA: 403, .customerB: 403, .admin: 201]
            ),
            Row(method: .GET, path: "/api/v1/products/\(product)", expected: everyone(200)),
            Row(
                method: .PATCH, path: "/api/v1/products/\(product)", json: ProductChanges(stock: 5),
                expected: [.anonymous: 401, .customerA: 403, .customerB: 403, .admin: 200]),
            Row(method: .GET, path: "/api/v1/users", expected: [.anonymous: 401, .customerA: 403, .customerB: 403, .admin: 200]),
            Row(method: .GET, path: "/api/v1/users/me", expected: signedIn(200)),
            Row(method: .PATCH, path: "/api/v1/users/me", json: ProfileChanges(name: "Renamed"), expected: signedIn(200)),
            // Everyone signed in lists their own orders, payments and notifications
            // (CheckoutRequestTests and NotificationJourneyTests check that no one sees another's).
            Row(method: .GET, path: "/api/v1/orders", expected: signedIn(200)),
            Row(
                method: .POST,
                path: "/api/v1/orders",
                json: NewOrder(
                    items: [OrderItemRequest(productId: product, quantity: 1)],
                    shippingAddress: PostalAddress(name: "Matrix", line1: "1 Main St", city: "Berlin", postalCode: "10115", country: "DE")
                ),
                headers: [("Idempotency-Key", "matrix-order")],
                expected: signedIn(201)
            ),
            Row(
                method: .POST,
                path: "/api/v1/orders/quote",
                json: NewOrder(
                    items: [OrderItemRequest(productId: product, quantity: 1)],
                    shippingAddress: PostalAddress(name: "Matrix", line1: "1 Main St", city: "Berlin", postalCode: "10115", country: "DE")
                ),
                expected: signedIn(200)
            ),
            Row(
                method: .POST,
                path: "/api/v1/payments",
                json: NewPayment(orderId: UUID(), paymentMethod: "pm_card_visa"),
                headers: [("Idempotency-Key", "matrix-payment")],
                expected: signedIn(404)
            ),
            Row(method: .GET, path: "/api/v1/orders/\(UUID())", expected: signedIn(404)),
            Row(method: .POST, path: "/api/v1/orders/\(UUID())/cancel", expected: signedIn(404)),
            Row(method: .GET, path: "/api/v1/payments", expected: signedIn(200)),
            Row(method: .GET, path: "/api/v1/payments/\(UUID())", expected: signedIn(404)),
            Row(method: .GET, path: "/api/v1/notifications", expected: signedIn(200)),
            Row(method: .GET, path: "/api/v1/admin/orders", expected: [.anonymous: 401, .customerA: 403, .customerB: 403, .admin: 200]),
            Row(method: .GET, path: "/api/v1/admin/orders/\(UUID())", expected: [.anonymous: 401, .customerA: 403, .customerB: 403, .admin: 404]),
            Row(
                method: .GET, path: "/api/v1/admin/payments?orderId=\(UUID())",
                expected: [.anonymous: 401, .customerA: 403, .customerB: 403, .admin: 200]),
            Row(method: .GET, path: "/api/v1/products/\(product)/bought-together", expected: everyone(200)),
        ]
            + Component.services.flatMap { service -> [Row] in
                let letters = DeadLetterRepresentation.path(of: service)
                let adminOnly = { (status: Int) in [Caller.anonymous: 401, .customerA: 403, .customerB: 403, .admin: status] }
                return [
                    Row(method: .GET, path: letters, expected: adminOnly(200)),
                    Row(method: .GET, path: "\(letters)/\(UUID())", expected: adminOnly(404)),
                    Row(method: .POST, path: "\(letters)/\(UUID())/replay", expected: adminOnly(404)),
                    Row(method: .POST, path: "\(letters)/\(UUID())/discard", expected: adminOnly(404)),
                ]
            }
            + [
                Row(
                    method: .DELETE, path: "/api/v1/products/\(product)/images/\(UUID())",
                    expected: [.anonymous: 401, .customerA: 403, .customerB: 403, .admin: 404]),
                // Last: after it the product is gone.
                Row(
                    method: .DELETE, path: "/api/v1/products/\(product)", expected: [.anonymous: 401, .customerA: 403, .customerB: 403, .admin: 204]),
            ]
    }

    @Test func throughTheGateway() async throws {
        try await PlatformFixture.withPlatform { report in
            let gateway = report.gatewayURL
            let callers = try await Self.callers(gateway)
            let catalog = try await HTTP.get("\(gateway)/api/v1/products?perPage=1").decode(Contracts.Page<ProductRepresentation>.self)
            for row in Self.rows(product: try #require(catalog.items.first).id) {
                for caller in Caller.allCases {
                    let response = try await HTTP.send(
                        row.method, gateway + row.path, token: callers.token(caller), json: row.json, headers: row.headers)
                    #expect(response.status == row.expected[caller], "\(row) as \(caller)")
                    if response.status == 401 {
                        #expect(response.headers.first(name: "www-authenticate")?.hasPrefix("Bearer realm=\"emporium\"") == true, "\(row)")
                        #expect(response.problem?.type == "urn:emporium:problem:unauthorized")
                    }
                    if response.status == 403 { #expect(response.problem?.type == "urn:emporium:problem:forbidden") }
                }
            }
        }
    }

    @Test func eachUserSeesOnlyTheirOwnProfile() async throws {
        try await PlatformFixture.withPlatform { report in
            let gateway = report.gatewayURL
            let callers = try await Self.callers(gateway)
            for caller in [Caller.customerA, .customerB, .admin] {
                let me = try await HTTP.get("\(gateway)/api/v1/users/me", token: callers.token(caller))
                #expect(try me.decode(UserProfile.self).id == callers.ids[caller])
            }
            let renamed = try await HTTP.send(
                .PATCH, "\(gateway)/api/v1/users/me", token: callers.token(.customerA), json: ProfileChanges(name: "Alice"))
            #expect(try renamed.decode(UserProfile.self).name == "Alice")
            let other = try await HTTP.get("\(gateway)/api/v1/users/me", token: callers.token(.customerB))
            #expect(try other.decode(UserProfile.self).name == "customerB")
        }
    }

    /// The User Service checks tokens and roles itself: a request that skips the gateway gets the same answers.
    @Test func theServiceEnforcesWithoutTheGateway() async throws {
        try await PlatformFixture.withPlatform { report in
            let callers = try await Self.callers(report.gatewayURL)
            let user = "http://127.0.0.1:\(try #require(report.ports[.user]))"
            #expect(try await HTTP.get("\(user)/api/v1/users").status == 401)
            #expect(try await HTTP.get("\(user)/api/v1/users", token: callers.token(.customerA)).status == 403)
            #expect(try await HTTP.get("\(user)/api/v1/users", token: callers.token(.admin)).status == 200)
            #expect(try await HTTP.get("\(user)/api/v1/users/me").status == 401)
            let forged = try #require(callers.token(.customerA)).dropLast(4) + "AAAA"
            let response = try await HTTP.get("\(user)/api/v1/users/me", token: String(forged))
            #expect(response.status == 401)
            #expect(response.headers.first(name: "www-authenticate")?.contains(#"error="invalid_token""#) == true)
        }
    }
}
