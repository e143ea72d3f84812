import AsyncHTTPClient
import Contracts
import EmbeddedPlatform
import EmporiumCore
import Foundation
import Gateway
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import Testing

/// The whole platform in this process, on port 0, read through its gateway over real HTTP.
enum PlatformFixture {
    /// Starts the platform, runs `body` with the ready report once every component listens, then
    /// shuts the platform down gracefully and waits for it to stop.
    /// - Parameters:
    ///   - rateLimits: The gateway's limits; off unless a test is about them.
    ///   - dataDirectory: A directory the test keeps across platforms; a new one otherwise.
    ///   - configuration: Keys of the test's own, above the fixture's, as `emporium run`'s flags
    ///     would be (`order.payment-window-seconds`, `shipping.latency-ms`…).
    static func withPlatform(
        rateLimits: RateLimitSettings = .off,
        dataDirectory: URL? = nil,
        configuration: ConfigurationLayer = ConfigurationLayer(),
        _ body: (ReadyReport) async throws -> Void
    ) async throws {
        // A directory of its own, removed afterwards, unless the test keeps one across platforms.
        let directory = dataDirectory ?? FileManager.default.temporaryDirectory.appendingPathComponent("emporium-\(UUID().uuidString)")
        defer { if dataDirectory == nil { try? FileManager.default.removeItem(at: directory) } }
        let (readiness, ready) = AsyncStream.makeStream(of: ReadyReport.self)
        let logger = Logger(label: "test")
        // bcrypt's lowest cost: a debug build at cost 12 takes about a second per hash, and the
        // suites register users in parallel.
        var fixture = ConfigurationLayer()
        fixture.set("emporium.data-dir", directory.path)
        fixture.set("gateway.http.port", 0)
        fixture.set("gateway.rate-limit.requests-per-second", rateLimits.requestsPerSecond)
        fixture.set("gateway.rate-limit.burst", rateLimits.burst)
        fixture.set("gateway.rate-limit.token-requests-per-minute", rateLimits.tokenRequestsPerMinute)
        fixture.set("gateway.rate-limit.token-burst", rateLimits.tokenBurst)
        fixture.set("idp.bcrypt-cost", 4)
        // Dozens of platforms share this process, and each console's look is two dozen requests:
        // they look once a minute unless a test asks for more (ConsoleAccessTests does).
        fixture.set("console.watch-interval-ms", 60_000)
        // Spans are exported to the console only where a test is about them (ConsoleTracesTests).
        fixture.set("emporium.traces.to-console", false)
        let platform = try await EmbeddedPlatform.build(
            configuration: [configuration.provider(name: "test"), fixture.provider(name: "fixture")], logger: logger
        ) { report in
            ready.yield(report)
            ready.finish()
        }
        let group = ServiceGroup(services: platform.services, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = readiness.makeAsyncIterator()
            let report = try #require(await iterator.next())
            #expect(Set(report.ports.keys) == Set(Component.allCases))
            do {
                try await body(report)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

/// A response as a test reads it.
struct TestResponse {
    var status: Int
    var headers: HTTPHeaders
    var body: Data

    var contentType: String? { headers.first(name: "content-type") }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: body)
    }

    var problem: ProblemDocument? { try? decode(ProblemDocument.self) }
}

/// Plain HTTP calls, with an optional bearer token and JSON or form body.
enum HTTP {
    static func send(
        _ method: HTTPMethod,
        _ url: String,
        token: String? = nil,
        json: (any Encodable)? = nil,
        form: [String: String]? = nil,
        body: Data? = nil,
        headers: [(String, String)] = []
    ) async throws -> TestResponse {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        var sent = body
        if let json {
            request.headers.add(name: "Content-Type", value: "application/json")
            sent = try JSONEncoder().encode(json)
        }
        if let form {
            request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
            sent = Data(FormEncoding.encode(form).utf8)
        }
        if let sent { request.body = .bytes(ByteBuffer(bytes: sent)) }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let body = try await response.body.collect(upTo: 1 << 20)
        ExchangeLog.record(
            request, body: sent, status: Int(response.status.code), headers: response.headers, responseBody: Data(body.readableBytesView))
        return TestResponse(status: Int(response.status.code), headers: response.headers, body: Data(body.readableBytesView))
    }

    static func get(_ url: String, token: String? = nil) async throws -> TestResponse {
        try await send(.GET, url, token: token)
    }

    /// Logs in through the gateway with the storefront's password grant.
    static func login(_ gateway: String, email: String, password: String) async throws -> TokenResponse {
        let response = try await send(
            .POST,
            "\(gateway)/auth/token",
            form: ["grant_type": "password", "client_id": "emporium-web", "username": email, "password": password]
        )
        try #require(response.status == 200, "login of \(email) answered \(response.status): \(String(decoding: response.body, as: UTF8.self))")
        return try response.decode(TokenResponse.self)
    }
}
