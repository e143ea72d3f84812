import Contracts
import EmporiumCore
import EmporiumTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import Gateway

/// The gateway in front of several instances of one component: round robin, passive ejection of
/// an instance that fails, active health checks that bring it back, and retries of reads on
/// another instance so that a client never sees one instance's crash.
@Suite(.timeLimit(.minutes(2))) struct LoadBalancingTests {
    /// A product instance that answers with its name.
    func instance(_ name: String, port: Int = 0) throws -> ComponentApplication {
        let server = try ComponentServer(component: "product", settings: HTTPServerSettings(port: port))
        let router = server.makeRouter(readiness: [])
        router.get("/api/v1/products") { _, _ in name }
        return server.makeApplication(router: router)
    }

    func gateway(_ urls: [String]) throws -> ComponentApplication {
        let settings = GatewaySettings(
            server: HTTPServerSettings(port: 0),
            upstreamURLs: [.product: urls],
            healthCheckInterval: .milliseconds(100),
            readinessTargets: [.product],
            auth: TestIssuer().authSettings,
            rateLimits: .off
        )
        return try buildGateway(settings: settings, directory: UpstreamDirectory())
    }

    func names(_ client: some TestClientProtocol, _ count: Int) async throws -> [String] {
        var names: [String] = []
        for _ in 0..<count {
            let response = try await client.execute(uri: "/api/v1/products", method: .get)
            #expect(response.status == .ok)
            names.append(String(buffer: response.body))
        }
        return names
    }

    @Test func requestsGoRoundRobin() async throws {
        try await instance("a").test(.live) { a in
            try await instance("b").test(.live) { b in
                let urls = ["http://127.0.0.1:\(try #require(a.port))", "http://127.0.0.1:\(try #require(b.port))"]
                try await gateway(urls).test(.live) { client in
                    let seen = try await names(client, 6)
                    #expect(seen.filter { $0 == "a" }.count == 3 && seen.filter { $0 == "b" }.count == 3)
                }
            }
        }
    }

    @Test func aDownInstanceIsRetriedAroundThenEjectedAndComesBack() async throws {
        // A free port, for an instance that starts after the gateway.
        let port = try await ServerSocketProbe.bindEphemeral()
        try await instance("a").test(.live) { a in
            let urls = ["http://127.0.0.1:\(try #require(a.port))", "http://127.0.0.1:\(port)"]
            try await gateway(urls).test(.live) { client in
                // Every read succeeds: those sent to the dead instance are sent again to the live one.
                #expect(try await names(client, 8) == Array(repeating: "a", count: 8))
                let ready = try JSONDecoder().decode(
                    HealthReport.self, from: Data(try await client.execute(uri: "/health/ready", method: .get).body.readableBytesView))
                #expect(ready.checks["product"] == .degraded("1 of 2 instances ready"))

                // The instance starts on its port: the health checks let it back into the rotation.
                let b = try instance("b", port: port)
                let running = Task { try await b.runService() }
                let deadline = ContinuousClock.now + .seconds(15)
                var seen: [String] = []
                while !seen.contains("b"), ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(100))
                    seen = try await names(client, 2)
                }
                #expect(seen.contains("b"))
                running.cancel()
                _ = await running.result
            }
        }
    }
}
