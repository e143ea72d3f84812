import Contracts
import EmporiumCore
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import ProductService
import Testing

/// The catalog's public read side, on a real SQLite file.
@Suite(.timeLimit(.minutes(2))) struct CatalogRoutesTests {
    /// A fresh database file in a temporary directory, removed when the test ends.
    func withProductService(
        demo: Bool = true,
        path: String? = nil,
        _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("product-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let settings = ServiceSettings(
            server: HTTPServerSettings(port: 0),
            database: .sqliteFile(path: path ?? directory.appendingPathComponent("product.sqlite").path),
            seedDemoData: demo
        )
        try await buildProductService(settings: settings).test(.live, body)
    }

    func page(_ client: some TestClientProtocol, _ query: String = "") async throws -> Contracts.Page<ProductRepresentation> {
        let response = try await client.execute(uri: "/api/v1/products\(query)", method: .get)
        #expect(response.status == .ok)
        return try JSONDecoder().decode(Contracts.Page<ProductRepresentation>.self, from: Data(response.body.readableBytesView))
    }

    func problem(_ response: TestResponse) throws -> ProblemDocument {
        try JSONDecoder().decode(ProblemDocument.self, from: Data(response.body.readableBytesView))
    }

    @Test func firstPageOfTheDemoCatalog() async throws {
        try await withProductService { client in
            let first = try await page(client)
            #expect(first.total >= 20)
            #expect(first.items.count == 20)
            #expect(first.page == 1 && first.perPage == 20)
            #expect(first.items.map(\.name) == first.items.map(\.name).sorted())
            #expect(first.items.allSatisfy { $0.price.amount > 0 && $0.price.currency == "EUR" && $0.stock >= 0 })
        }
    }

    @Test func pagesCoverTheCatalogWithoutOverlap() async throws {
        try await withProductService { client in
            let total = try await page(client).total
            var seen: [UUID] = []
            for number in 1...((total + 6) / 7) {
                seen += try await page(client, "?page=\(number)&perPage=7").items.map(\.id)
            }
            #expect(seen.count == total)
            #expect(Set(seen).count == total)
            #expect(try await page(client, "?page=99&perPage=7").items.isEmpty)
        }
    }

    @Test func oneProductById() async throws {
        try await withProductService { client in
            let listed = try #require(try await page(client).items.first)
            let response = try await client.execute(uri: "/api/v1/products/\(listed.id)", method: .get)
            #expect(response.status == .ok)
            #expect(try JSONDecoder().decode(ProductRepresentation.self, from: Data(response.body.readableBytesView)) == listed)
        }
    }

    @Test func unknownProductIs404() async throws {
        try await withProductService { client in
            let response = try await client.execute(uri: "/api/v1/products/\(UUID())", method: .get)
            #expect(response.status == .notFound)
            #expect(try problem(response).type == "urn:emporium:problem:not-found")
        }
    }

    @Test func malformedIdIs400NamingIt() async throws {
        try await withProductService { client in
            let response = try await client.execute(uri: "/api/v1/products/not-a-uuid", method: .get)
            #expect(response.status == .badRequest)
            #expect(try problem(response).field == "id")
        }
    }

    @Test func badPagingIs400NamingTheParameter() async throws {
        try await withProductService { client in
            let response = try await client.execute(uri: "/api/v1/products?perPage=1000", method: .get)
            #expect(response.status == .badRequest)
            #expect(try problem(response).field == "perPage")
        }
    }

    @Test func catalogWritesAreNotOpen() async throws {
        try await withProductService { client in
            let response = try await client.execute(uri: "/api/v1/products", method: .post, body: ByteBuffer(string: "{}"))
            #expect(response.status == .unauthorized)
            let delete = try await client.execute(uri: "/api/v1/products", method: .delete)
            #expect(delete.status == .methodNotAllowed)
        }
    }

    @Test func withoutDemoTheCatalogIsEmpty() async throws {
        try await withProductService(demo: false) { client in
            let empty = try await page(client)
            #expect(empty.total == 0 && empty.items.isEmpty)
        }
    }

    @Test func restartingDoesNotSeedTwice() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("product-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let totals = TotalRecorder()
        for _ in 0..<2 {
            try await withProductService(path: path) { client in
                let first = try await page(client)
                await totals.add(first.total)
                #expect(first.items.allSatisfy { $0.images?.count == 1 }, "a drawn picture each, and no second one after a restart")
            }
        }
        let recorded = await totals.values
        #expect(recorded.count == 2 && recorded[0] == recorded[1])
    }

    actor TotalRecorder {
        var values: [Int] = []
        func add(_ value: Int) { values.append(value) }
    }
}
