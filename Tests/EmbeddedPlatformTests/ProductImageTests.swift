import AsyncHTTPClient
import Contracts
import EmbeddedPlatform
import EmporiumCore
import EmporiumTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Products' pictures through the gateway: each product starts with a drawn one and keeps one at
/// least; an admin uploads more, told by their bytes; anyone fetches them with an `ETag`; what is
/// not a picture, too large or unnamed is a clear problem.
@Suite(.tags(.platform), .timeLimit(.minutes(2))) struct ProductImageTests {
    /// The smallest PNG header a sniffer reads, then filler: the service stores bytes, it does not decode them.
    static let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + Data(repeating: 7, count: 200)

    static func upload(_ bytes: Data, to product: UUID, alt: String? = "A red square", token: String?, gateway: String) async throws -> TestResponse {
        var request = HTTPClientRequest(
            url: "\(gateway)/api/v1/products/\(product)/images"
                + (alt.map { "?alt=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") } ?? ""))
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "image/png")
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(ByteBuffer(bytes: bytes))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        return TestResponse(status: Int(response.status.code), headers: response.headers, body: Data(body.readableBytesView))
    }

    @Test func anAdminAddsAPictureThatAnyoneFetchesAndCaches() async throws {
        try await PlatformFixture.withPlatform { report in
            let shop = try await Shop.open(report)
            let product = try await shop.newProduct(stock: 1)
            let added = try await Self.upload(Self.png, to: product.id, token: shop.admin, gateway: shop.gateway)
            #expect(added.status == 201)
            let image = try added.decode(ProductImage.self)
            #expect(image.contentType == "image/png" && image.alt == "A red square")

            let listed = try await HTTP.get("\(shop.gateway)/api/v1/products/\(product.id)").decode(ProductRepresentation.self)
            let drawn = try #require(listed.images?.first)
            #expect(listed.images == [drawn, image], "after the illustration it was created with")

            let fetched = try await HTTP.get(shop.gateway + image.url)
            #expect(fetched.status == 200 && fetched.body == Self.png && fetched.contentType == "image/png")
            let etag = try #require(fetched.headers.first(name: "etag"))
            #expect(fetched.headers.first(name: "cache-control")?.contains("immutable") == true)
            let again = try await HTTP.send(.GET, shop.gateway + image.url, headers: [("If-None-Match", etag)])
            #expect(again.status == 304 && again.body.isEmpty)

            #expect(try await HTTP.send(.DELETE, shop.gateway + image.url, token: shop.admin).status == 204)
            #expect(try await HTTP.get(shop.gateway + image.url).status == 404)
            let last = try await HTTP.send(.DELETE, shop.gateway + drawn.url, token: shop.admin)
            #expect(last.status == 409 && last.problem?.type == "urn:emporium:problem:last-image", "a product keeps one picture")
            #expect(try await HTTP.get(shop.gateway + drawn.url).status == 200)

            #expect(try await HTTP.send(.DELETE, "\(shop.gateway)/api/v1/products/\(product.id)", token: shop.admin).status == 204)
            let gone = try await HTTP.get(shop.gateway + drawn.url)
            #expect(gone.status == 404 && gone.problem != nil, "a deleted product's pictures leave the catalog with it")
        }
    }

    @Test func whatIsNotAPictureTooLargeUnnamedOrNotAnAdminsIsRefused() async throws {
        try await PlatformFixture.withPlatform { report in
            let shop = try await Shop.open(report)
            let product = try await shop.newProduct(stock: 1)
            let customer = try await shop.newCustomer()
            let text = try await Self.upload(Data("GIF89a, or so it says".utf8), to: product.id, token: shop.admin, gateway: shop.gateway)
            #expect(text.status == 415 && text.problem?.type == "urn:emporium:problem:unsupported-media-type")
            #expect(try await Self.upload(Data(), to: product.id, token: shop.admin, gateway: shop.gateway).status == 415, "an empty body")
            let large = Self.png + Data(repeating: 0, count: ProductImage.maxBytes)
            #expect(try await Self.upload(large, to: product.id, token: shop.admin, gateway: shop.gateway).status == 413)
            let unnamed = try await Self.upload(Self.png, to: product.id, alt: nil, token: shop.admin, gateway: shop.gateway)
            #expect(unnamed.status == 400 && unnamed.problem?.field == "alt")
            #expect(try await Self.upload(Self.png, to: product.id, token: customer, gateway: shop.gateway).status == 403)
            #expect(try await Self.upload(Self.png, to: product.id, token: nil, gateway: shop.gateway).status == 401)
            #expect(try await Self.upload(Self.png, to: UUID(), token: shop.admin, gateway: shop.gateway).status == 404)
            let listed = try await HTTP.get("\(shop.gateway)/api/v1/products/\(product.id)").decode(ProductRepresentation.self)
            #expect(listed.images?.map(\.contentType) == ["image/svg+xml"], "nothing refused was kept beside the drawn picture")
        }
    }

    @Test func everyProductHasAPictureDrawnForItFromTheStart() async throws {
        try await PlatformFixture.withPlatform { report in
            let shop = try await Shop.open(report)
            let created = try await shop.newProduct(stock: 1)
            let drawn = try #require(created.images?.first, "the create answer lists it")
            #expect(created.images?.count == 1 && drawn.contentType == "image/svg+xml" && drawn.alt == "Illustration of the \(created.name)")
            #expect(try await HTTP.get(report.gatewayURL + drawn.url).status == 200)

            let page = try await HTTP.get("\(report.gatewayURL)/api/v1/products?perPage=100").decode(Page<ProductRepresentation>.self)
            let demo = page.items.filter { $0.id.uuidString.hasPrefix("00000000-0000-4000-8000-0000000D") }
            #expect(!demo.isEmpty && demo.allSatisfy { $0.images?.first?.contentType == "image/svg+xml" })
            let first = try #require(demo.first?.images?.first)
            let svg = try await HTTP.get(report.gatewayURL + first.url)
            #expect(svg.status == 200 && String(decoding: svg.body, as: UTF8.self).hasPrefix("<svg"))
            #expect(svg.headers.first(name: "content-security-policy")?.contains("sandbox") == true)
        }
    }
}
