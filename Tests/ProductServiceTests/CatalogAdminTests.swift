public import Contracts
import EmporiumCore
import EmporiumTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ProductService
import SQLKit
public import Testing

/// Catalog writes by admins, their events, and the search over what they wrote.
@Suite(.timeLimit(.minutes(2))) struct CatalogAdminTests {
    /// A Product Service (demo catalog, own SQLite file) trusting a test issuer; `body` gets a
    /// client, an admin token and a customer token; afterwards the outbox's `ProductUpdated` events
    /// are returned, oldest first.
    @discardableResult
    func withCatalog(
        _ body: @escaping @Sendable (any TestClientProtocol, _ admin: String, _ customer: String) async throws -> Void
    ) async throws -> [ProductUpdated] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("product-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("product.sqlite").path
        let issuer = TestIssuer()
        try await issuer.run {
            let settings = ServiceSettings(
                server: HTTPServerSettings(port: 0), database: .sqliteFile(path: path), seedDemoData: true, auth: issuer.authSettings)
            let admin = try await issuer.token(subject: "admin-1", roles: ["admin"])
            let customer = try await issuer.token(subject: "customer-1", roles: ["customer"])
            try await buildProductService(settings: settings).test(.live) { client in try await body(client, admin, customer) }
        }
        let database = try ServiceDatabase(location: .sqliteFile(path: path), logger: .init(label: "test"))
        let payloads = try await (database.database() as! any SQLDatabase)
            .raw("SELECT payload FROM outbox_events WHERE subject = \(bind: ProductUpdated.eventType) ORDER BY position")
            .all(decodingColumn: "payload", as: String.self)
        await database.close()
        return try payloads.map { try EventCoding.decoder().decode(CloudEvent<ProductUpdated>.self, from: Data($0.utf8)).data }
    }

    static let lamp = NewProduct(
        sku: "HOM-900", name: "Brass Desk Lamp", description: "Adjustable arm, warm light.", category: "home",
        price: Money(amount: 8_500, currency: "EUR"), stock: 7)

    func send(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ uri: String, token: String?, json: some Encodable) async throws
        -> TestResponse
    {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: method, headers: headers, body: ByteBuffer(bytes: try JSONEncoder().encode(json)))
    }

    func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(response.body.readableBytesView))
    }

    @Test func anAdminCreatesChangesAndDeletesAProductWithAnEventEachTime() async throws {
        let events = try await withCatalog { client, admin, _ in
            let created = try await send(client, .post, "/api/v1/products", token: admin, json: Self.lamp)
            #expect(created.status == .created)
            let product = try decode(ProductRepresentation.self, created)
            #expect(created.headers[.location] == "/api/v1/products/\(product.id)")
            #expect(product.sku == "HOM-900" && product.stock == 7)

            let changed = try await send(
                client, .patch, "/api/v1/products/\(product.id)", token: admin, json: ProductChanges(price: Money(amount: 7_900, currency: "EUR")))
            #expect(try decode(ProductRepresentation.self, changed).price.amount == 7_900)
            // The same value again changes nothing and announces nothing.
            _ = try await send(
                client, .patch, "/api/v1/products/\(product.id)", token: admin, json: ProductChanges(price: Money(amount: 7_900, currency: "EUR")))

            let deleted = try await client.execute(
                uri: "/api/v1/products/\(product.id)", method: .delete, headers: [.authorization: "Bearer \(admin)"])
            #expect(deleted.status == .noContent)
            #expect(try await client.execute(uri: "/api/v1/products/\(product.id)", method: .get).status == .notFound)
            let search = try await client.execute(uri: "/api/v1/products?q=desk%20lamp", method: .get)
            #expect(try decode(Contracts.Page<ProductRepresentation>.self, search).total == 0, "\(String(buffer: search.body))")
            let again = try await client.execute(uri: "/api/v1/products/\(product.id)", method: .delete, headers: [.authorization: "Bearer \(admin)"])
            #expect(again.status == .notFound)
        }
        #expect(events.map(\.version) == [1, 2, 3])
        #expect(events.map(\.changedFields) == [["sku", "name", "description", "category", "price", "stock"], ["price"], ["deleted"]])
        #expect(events.map(\.deleted) == [false, false, true])
        #expect(events[1].product.price.amount == 7_900)
    }

    @Test func onlyAdminsWrite() async throws {
        let events = try await withCatalog { client, _, customer in
            #expect(try await send(client, .post, "/api/v1/products", token: nil, json: Self.lamp).status == .unauthorized)
            let forbidden = try await send(client, .post, "/api/v1/products", token: customer, json: Self.lamp)
            #expect(forbidden.status == .forbidden)
            let page = try decode(
                Contracts.Page<ProductRepresentation>.self, try await client.execute(uri: "/api/v1/products?perPage=1", method: .get))
            let id = try #require(page.items.first?.id)
            #expect(try await send(client, .patch, "/api/v1/products/\(id)", token: customer, json: ProductChanges(stock: 0)).status == .forbidden)
            #expect(
                try await client.execute(uri: "/api/v1/products/\(id)", method: .delete, headers: [.authorization: "Bearer \(customer)"]).status
                    == .forbidden)
        }
        #expect(events.isEmpty)
    }

    @Test(arguments: [
        (NewProduct(sku: "lower-case", name: "X", description: "Y", category: "home", price: Money(amount: 100, currency: "EUR"), stock: 1), "sku"),
        (NewProduct(sku: "ABC-1", name: "  ", description: "Y", category: "home", price: Money(amount: 100, currency: "EUR"), stock: 1), "name"),
        (
            NewProduct(sku: "ABC-1", name: "X", description: "Y", category: "Home Goods", price: Money(amount: 100, currency: "EUR"), stock: 1),
            "category"
        ),
        (
            NewProduct(sku: "ABC-1", name: "X", description: "Y", category: "home", price: Money(amount: -5, currency: "EUR"), stock: 1),
            "price.amount"
        ),
        (
            NewProduct(sku: "ABC-1", name: "X", description: "Y", category: "home", price: Money(amount: 100, currency: "USD"), stock: 1),
            "price.currency"
        ),
        (NewProduct(sku: "ABC-1", name: "X", description: "Y", category: "home", price: Money(amount: 100, currency: "EUR"), stock: -1), "stock"),
        (
            NewProduct(sku: "ABC-1", name: "X", description: "Y", category: "home", price: Money(amount: 100, currency: "EUR"), stock: 10_000_000),
            "stock"
        ),
        (NewProduct(sku: "KIT-001", name: "X", description: "Y", category: "home", price: Money(amount: 100, currency: "EUR"), stock: 1), "sku"),
        // The document's Text pattern refuses control characters, so the service must too.
        (
            NewProduct(sku: "ABC-1", name: "X", description: "Y\u{0}", category: "home", price: Money(amount: 100, currency: "EUR"), stock: 1),
            "description"
        ),
    ])
    func badProductsAreRefusedNamingTheField(product: NewProduct, field: String) async throws {
        let events = try await withCatalog { client, admin, _ in
            let response = try await send(client, .post, "/api/v1/products", token: admin, json: product)
            #expect([HTTPResponse.Status.badRequest, .conflict].contains(response.status))
            #expect(try decode(ProblemDocument.self, response).field == field)
        }
        #expect(events.isEmpty)
    }

    @Test func searchFiltersAndSorts() async throws {
        try await withCatalog { client, _, _ in
            func page(_ query: String) async throws -> Contracts.Page<ProductRepresentation> {
                let response = try await client.execute(uri: "/api/v1/products\(query)", method: .get)
                #expect(response.status == .ok, "\(query)")
                return try decode(Contracts.Page<ProductRepresentation>.self, response)
            }
            let skillet = try await page("?q=SKILLET").items
            #expect(skillet.map(\.sku) == ["KIT-001"])
            // The demo catalog's ids are fixed, so that the documented examples name real products.
            #expect(skillet.first?.id == UUID(uuidString: "00000000-0000-4000-8000-0000000D0001"))
            #expect(try await page("?q=cast%20iron").items.map(\.sku) == ["KIT-001"])
            #expect(try await page("?q=kit-00").total == 5)
            // LIKE's wildcards are not wildcards here: '%' alone matches nothing in particular.
            #expect(try await page("?q=%25").total == 24)
            #expect(try await page("?q=paper%25").items.map(\.sku) == ["KIT-003"])
            let kitchen = try await page("?category=kitchen&perPage=100")
            #expect(kitchen.total == 5 && kitchen.items.allSatisfy { $0.category == "kitchen" })
            let band = try await page("?minPrice=2000&maxPrice=3000&perPage=100")
            #expect(!band.items.isEmpty && band.items.allSatisfy { (2_000...3_000).contains($0.price.amount) })
            let cheapest = try await page("?sort=price&perPage=100").items.map(\.price.amount)
            #expect(cheapest == cheapest.sorted())
            let dearest = try await page("?sort=-price&perPage=100").items.map(\.price.amount)
            #expect(dearest == cheapest.reversed())
            #expect(try await page("?sort=bestselling&perPage=100").total == 24)
            #expect(try await page("?sort=newest&perPage=100").total == 24)
            // Both bounds valid on their own: a band nothing falls into, not an error (schemathesis sends such pairs as valid).
            let empty = try await page("?minPrice=500&maxPrice=100")
            #expect(empty.total == 0 && empty.items.isEmpty)

            for (query, field) in [
                ("?sort=cheap", "sort"), ("?minPrice=-1", "minPrice"), ("?q=" + String(repeating: "a", count: 201), "q"),
                ("?category=Kitchen!", "category"),
            ] {
                let response = try await client.execute(uri: "/api/v1/products\(query)", method: .get)
                #expect(response.status == .badRequest, "\(query)")
                #expect(try decode(ProblemDocument.self, response).field == field, "\(query)")
            }
        }
    }
}

extension NewProduct: CustomTestStringConvertible {
    public var testDescription: String { "\(sku) \(price.amount) \(price.currency) ×\(stock)" }
}
