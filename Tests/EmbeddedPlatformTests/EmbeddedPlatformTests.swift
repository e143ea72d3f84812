import AsyncHTTPClient
import Contracts
import EmbeddedPlatform
import EmporiumCore
import EmporiumTestSupport
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Testing

/// The whole platform in this process, read through its gateway over real HTTP.
@Suite(.tags(.platform), .timeLimit(.minutes(3))) struct EmbeddedPlatformTests {
    func withPlatform(_ body: (String) async throws -> Void) async throws {
        try await PlatformFixture.withPlatform { report in try await body(report.gatewayURL) }
    }

    func get(_ url: String, token: String? = nil) async throws -> (status: Int, contentType: String?, body: Data) {
        let response = try await HTTP.get(url, token: token)
        return (response.status, response.contentType, response.body)
    }

    @Test func catalogThroughTheGateway() async throws {
        try await withPlatform { gateway in
            let catalog = try await get("\(gateway)/api/v1/products?perPage=100")
            #expect(catalog.status == 200)
            let page = try JSONDecoder().decode(Contracts.Page<ProductRepresentation>.self, from: catalog.body)
            #expect(page.total >= 20)
            #expect(page.items.count == page.total)

            let first = try #require(page.items.first)
            let one = try await get("\(gateway)/api/v1/products/\(first.id)")
            #expect(one.status == 200)
            #expect(try JSONDecoder().decode(ProductRepresentation.self, from: one.body) == first)
        }
    }

    @Test func everyComponentIsReady() async throws {
        try await withPlatform { gateway in
            let ready = try await get("\(gateway)/health/ready")
            #expect(ready.status == 200)
            let report = try JSONDecoder().decode(HealthReport.self, from: ready.body)
            let expected = Set(Component.allCases.filter { $0 != .gateway }.map(\.rawValue))
            #expect(Set(report.checks.keys.filter { $0 != "circuits" }) == expected)
            // The gateway's breakers, one per upstream instance, show too, closed.
            #expect(report.checks["circuits"] == .ready("all closed"))
            #expect(report.checks.values.allSatisfy { $0.status == .ready })
        }
    }

    @Test func unknownRouteIsAProblem() async throws {
        try await withPlatform { gateway in
            let response = try await get("\(gateway)/api/v1/nope")
            #expect(response.status == 404)
            #expect(response.contentType == "application/problem+json")
        }
    }
}
