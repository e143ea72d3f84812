import APIContract
import Contracts
import EmbeddedPlatform
import EmporiumCore
import EmporiumTestSupport
import Foundation
import Gateway
import Testing

/// The OpenAPI document and the code, held together: every route a client can reach at the
/// gateway is in the document, and the document names nothing that nobody serves.
@Suite(.tags(.platform), .timeLimit(.minutes(2))) struct ContractCoverageTests {
    /// Routes the gateway answers only to a client on its own machine, for operators: not part
    /// of the public contract.
    static let operatorOnly: Set<String> = ["GET /metrics", "GET /meta/routes"]

    /// `GET /api/v1/admin/dead-letters/order/{id}` as the document names it:
    /// `GET /api/v1/admin/dead-letters/{service}/{id}`.
    static func documentedDeadLetterPath(_ route: String) -> String {
        for service in Component.services {
            let path = DeadLetterRepresentation.path(of: service)
            if let range = route.range(of: path), route[range.upperBound...].isEmpty || route[range.upperBound...].hasPrefix("/") {
                return route.replacingCharacters(in: range, with: "/api/v1/admin/dead-letters/{service}")
            }
        }
        return route
    }

    @Test func everyPublicRouteIsDocumentedAndEveryDocumentedRouteIsServed() async throws {
        try await PlatformFixture.withPlatform { report in
            var served = Set<String>()
            // The shop's pages are the storefront's, not the public API's.
            for route in GatewayRoute.api {
                let port = try #require(report.ports[route.upstream])
                let list = try await HTTP.get("http://127.0.0.1:\(port)/meta/routes").decode(RouteList.self)
                for upstream in list.routes where upstream.method != "HEAD" {
                    if let path = route.publicPath(ofUpstreamPath: upstream.path) { served.insert("\(upstream.method) \(path)") }
                }
            }
            // The gateway's own routes, less the patterns it forwards through.
            let forwarding = Set(GatewayRoute.all.flatMap(\.registeredPaths))
            let gateway = try await HTTP.get("\(report.gatewayURL)/meta/routes").decode(RouteList.self)
            for own in gateway.routes where own.method != "HEAD" && !forwarding.contains(own.path) {
                served.insert("\(own.method) \(own.path)")
            }
            served.subtract(Self.operatorOnly)
            // Each service serves its own dead letters; the document names the service as a parameter.
            served = Set(served.map(Self.documentedDeadLetterPath))

            let documented = Set(APIDocument.bundled.operations.map { "\($0.method) \($0.path)" })
            #expect(served.subtracting(documented).sorted() == [], "served but missing from openapi.yaml")
            #expect(documented.subtracting(served).sorted() == [], "in openapi.yaml but served by nobody")
            #expect(documented.count > 20)
        }
    }
}
