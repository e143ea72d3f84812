import AsyncHTTPClient
import EmporiumCore
import EmporiumTestSupport
import Hummingbird
import HummingbirdTesting
import Logging
import NIOHTTP1
import Synchronization
import Testing

/// A service calling a dependency that has several instances (Order → Product, Payment → Order in
/// the distributed mode): each call takes the next instance, a retried read goes to another one,
/// and an instance that failed rests for a while, so that one instance's crash neither reaches the
/// caller nor costs every other call a failed attempt.
@Suite(.timeLimit(.minutes(2))) struct DependencyBalancingTests {
    /// An instance that answers with its name.
    func instance(_ name: String) throws -> ComponentApplication {
        let server = try ComponentServer(component: "product", settings: HTTPServerSettings(port: 0))
        let router = server.makeRouter(readiness: [])
        router.get("/api/v1/products") { _, _ in name }
        return server.makeApplication(router: router)
    }

    /// Whether a flaky instance has recovered.
    final class Flag: Sendable {
        private let raised = Atomic(false)
        func raise() { raised.store(true, ordering: .relaxed) }
        var isRaised: Bool { raised.load(ordering: .relaxed) }
    }

    /// An instance that fails with 503 (as one starting, draining or overloaded does) until
    /// `recovered` is raised, then answers with its name.
    func flakyInstance(_ name: String, recovered: Flag) throws -> ComponentApplication {
        let server = try ComponentServer(component: "product", settings: HTTPServerSettings(port: 0))
        let router = server.makeRouter(readiness: [])
        router.get("/api/v1/products") { _, _ -> String in
            guard recovered.isRaised else { throw Problem(.serviceUnavailable, detail: "starting") }
            return name
        }
        return server.makeApplication(router: router)
    }

    func withClient(
        _ urls: [String],
        attempts: Int = 2,
        restAfterFailure: Duration = .seconds(1),
        _ body: (DependencyClient) async throws -> Void
    ) async throws {
        let http = OutboundHTTPClient(timeout: .seconds(2))
        let client = DependencyClient(
            location: .fixed("product", urls: urls, restAfterFailure: restAfterFailure),
            http: http,
            retry: RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(1), maxDelay: .milliseconds(1))
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
            }
        }
    }

    @Test func aFailedInstanceRestsSoThatCallsWithoutRetriesGoToTheLiveOne() async throws {
        let down = try await ServerSocketProbe.bindEphemeral()  // nothing listens there
        try await instance("a").test(.live) { a in
            let urls = ["http://127.0.0.1:\(down)", "http://127.0.0.1:\(try #require(a.port))"]
            // One attempt per call (a write without an idempotency key is never repeated): without
            // rests every other call would fail; with them only the first one to meet the dead
            // instance does.
            try await withClient(urls, attempts: 1, restAfterFailure: .seconds(30)) { client in
                var failures = 0
                for _ in 0..<10 {
                    if (try? await names(client, 1, idempotent: false)) == nil { failures += 1 }
                }
                #expect(failures <= 1)
            }
        }
    }

    @Test func aRestedInstanceIsTriedAgainAndTakesItsTurnOnceItAnswers() async throws {
        let recovered = Flag()
        try await instance("a").test(.live) { a in
            try await flakyInstance("b", recovered: recovered).test(.live) { b in
                let urls = ["http://127.0.0.1:\(try #require(a.port))", "http://127.0.0.1:\(try #require(b.port))"]
                try await withClient(urls, restAfterFailure: .milliseconds(100)) { client in
                    #expect(try await names(client, 4) == ["a", "a", "a", "a"])
                    // Once it answers again and its rest is over, it takes its turns again.
                    recovered.raise()
                    // Longer than its rest after even three failures in a row (100, 200, 400 ms).
                    try await Task.sleep(for: .seconds(1))
                    let seen = try await names(client, 4)
                    #expect(seen.sorted() == ["a", "a", "b", "b"])
                }
            }
        }
    }
}
