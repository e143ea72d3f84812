import AsyncHTTPClient
import EmporiumCore
import EmporiumTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import NIOHTTP1
import Testing

/// A service calling a dependency that has several instances (Order → Product, Payment → Order in
/// the distributed mode): each call takes the next instance, and a retried read goes to another
/// one, so that one instance's crash does not reach the caller.
@Suite struct DependencyBalancingTests {
    /// An instance that answers with its name.
    func instance(_ name: String) -> ComponentApplication {
        let server = ComponentServer(component: "product", settings: HTTPServerSettings(port: 0))
        let router = server.makeRouter(readiness: [])
        router.get("/api/v1/products") { _, _ in name }
        return server.makeApplication(router: router)
    }

    func withClient(_ urls: [String], _ body: (DependencyClient) async throws -> Void) async throws {
        let http = OutboundHTTPClient(timeout: .seconds(2))
        let client = DependencyClient(
            location: .fixed("product", urls: urls),
            http: http,
            retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1), maxDelay: .milliseconds(1))
        )
        do {
            try await body(client)
        } catch {
            try await http.client.shutdown()
            throw error
        }
        try await http.client.shutdown()
    }

    func names(_ client: DependencyClient, _ count: Int, idempotent: Bool = true) async throws -> [String] {
        var names: [String] = []
        for _ in 0..<count {
            let response = try await client.send(.GET, "/api/v1/products", idempotent: idempotent, logger: Logger(label: "test"))
            names.append(String(buffer: response.body))
        }
        return names
    }

    @Test func callsTakeTheInstancesInTurn() async throws {
        try await instance("a").test(.live) { a in
            try await instance("b").test(.live) { b in
                let urls = ["http://127.0.0.1:\(try #require(a.port))", "http://127.0.0.1:\(try #require(b.port))/"]
                try await withClient(urls) { client in
                    let seen = try await names(client, 4)
                    #expect(seen.sorted() == ["a", "a", "b", "b"])
                }
            }
        }
    }

    @Test func aReadThatFailsOnADownInstanceIsRetriedOnAnother() async throws {
        let down = try await ServerSocketProbe.bindEphemeral()  // nothing listens there
        try await instance("a").test(.live) { a in
            let urls = ["http://127.0.0.1:\(down)", "http://127.0.0.1:\(try #require(a.port))"]
            try await withClient(urls) { client in
                // Every read succeeds, whichever instance its first attempt went to.
                let seen = try await names(client, 4)
                #expect(seen == ["a", "a", "a", "a"])
                // The breaker saw failures between successes: it stays closed.
                #expect(client.caller.breaker.state == CircuitBreaker.State.closed)
                // A write without an idempotency key is not repeated: its turn on the down
                // instance fails, the next one goes through.
                var outcomes: [Bool] = []
                for _ in 0..<2 {
                    outcomes.append((try? await names(client, 1, idempotent: false)) != nil)
                }
                #expect(outcomes.filter { $0 }.count == 1)
            }
        }
    }
}
