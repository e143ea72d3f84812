import Contracts
import EmporiumCore
import EmporiumTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import MetricsTestKit
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Testing

@testable import Gateway

/// What the gateway's fast path (ADR 36) does that the router's forwarding did not have to: keep
/// the order of pipelined requests whoever answers them, stream large answers, finish what is in
/// flight at shutdown, and leave to the router what it cannot decide at once. ``ForwardingTests``
/// and ``LoadBalancingTests`` hold both paths to the same outcomes.
@Suite(.timeLimit(.minutes(2))) struct FastPathTests {
    /// An upstream serving the product and user routes: an echo of the target and the
    /// `Authorization` it saw, a large answer, and an answer that waits for the test's word.
    func makeUpstream(release: AsyncStream<Void>? = nil, arrived: AsyncStream<Void>.Continuation? = nil) throws -> ComponentApplication {
        let server = try ComponentServer(component: "product", settings: HTTPServerSettings(port: 0))
        let router = server.makeRouter(readiness: [])
        let echo: @Sendable (Request, EmporiumRequestContext) async throws -> String = { request, _ in
            "\(request.method.rawValue) \(request.head.path ?? "") auth=\(request.headers[.authorization] ?? "none")"
        }
        router.get("/api/v1/products/**", use: echo)
        router.get("/api/v1/users/**", use: echo)
        router.get("/api/v1/products/large/answer") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/octet-stream"],
                body: ResponseBody { writer in
                    for chunk in 0..<Self.largeChunks { try await writer.write(Self.chunk(chunk)) }
                    try await writer.finish(nil)
                })
        }
        router.get("/api/v1/products/broken/answer") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/octet-stream"],
                body: ResponseBody { writer in
                    try await writer.write(Self.chunk(0))
                    throw CancellationError()
                })
        }
        router.get("/api/v1/products/waiting/answer") { _, _ -> String in
            arrived?.yield()
            if let release { for await _ in release { break } }
            return "answered after the wait"
        }
        return server.makeApplication(router: router)
    }

    static let largeChunks = 128
    static func chunk(_ index: Int) -> ByteBuffer {
        ByteBuffer(repeating: UInt8(truncatingIfNeeded: index), count: 64 * 1024)
    }

    func makeGateway(upstreamURL: String, issuer: TestIssuer, metrics: TestMetrics, port: Int = 0) throws -> ComponentApplication {
        let settings = GatewaySettings(
            server: HTTPServerSettings(port: port), upstreamURLs: [.product: [upstreamURL], .user: [upstreamURL]], readinessTargets: [],
            auth: issuer.authSettings, rateLimits: .off)
        return try buildGateway(settings: settings, directory: UpstreamDirectory(), metrics: metrics)
    }

    /// Runs `body` with a client of a gateway in front of ``makeUpstream(release:arrived:)``,
    /// recording the fast path's metrics in `metrics`, and the issuer it trusts.
    func withGateway(metrics: TestMetrics, _ body: @escaping @Sendable (any TestClientProtocol, TestIssuer) async throws -> Void) async throws {
        let issuer = TestIssuer()
        try await issuer.run {
            try await makeUpstream().test(.live) { upstream in
                let upstreamURL = "http://127.0.0.1:\(try #require(upstream.port))"
                try await makeGateway(upstreamURL: upstreamURL, issuer: issuer, metrics: metrics).test(.live) { client in
                    try await body(client, issuer)
                }
            }
        }
    }

    func fastCount(_ metrics: TestMetrics) -> Int64 {
        (try? metrics.expectCounter("emporium_gateway_requests_total", [("path", "fast")]).totalValue) ?? 0
    }

    func routedCount(_ metrics: TestMetrics) -> Int64 {
        (try? metrics.expectCounter("emporium_gateway_requests_total", [("path", "router")]).totalValue) ?? 0
    }

    @Test func pipelinedRequestsAreAnsweredInOrderWhoeverAnswersThem() async throws {
        let metrics = TestMetrics()
        try await withGateway(metrics: metrics) { client, issuer in
            let answers = try await PipelinedClient.send(
                [
                    .init(.GET, "/api/v1/products/a"),
                    .init(.GET, "/api/v1/nope"),  // the router's 404
                    .init(.GET, "/api/v1/products/b?page=2"),
                    .init(.HEAD, "/api/v1/products/c"),
                    .init(.POST, "/api/v1/products"),  // no token: the router's 401
                    .init(.GET, "/api/v1/products/d"),
                ], port: try #require(client.port))
            #expect(answers.map(\.status) == [200, 404, 200, 200, 401, 200])
            #expect(answers[0].body == "GET /api/v1/products/a auth=none")
            #expect(answers[1].headers["content-type"] == ProblemDocument.mediaType)
            #expect(answers[2].body == "GET /api/v1/products/b?page=2 auth=none")
            #expect(answers[3].body.isEmpty && (answers[3].headers["content-length"].flatMap(Int.init) ?? 0) > 0)
            #expect(answers[5].body == "GET /api/v1/products/d auth=none")
            #expect(answers.allSatisfy { $0.headers["x-request-id"]?.isEmpty == false })
        }
        #expect(fastCount(metrics) == 4)
        #expect(routedCount(metrics) == 2)
        let served = try metrics.expectCounter(
            "emporium_http_requests_total", [("component", "gateway"), ("route", "/api/v1/products/**"), ("method", "GET"), ("status", "200")])
        #expect(served.totalValue == 3)
        let called = try metrics.expectCounter(
            "emporium_http_client_requests_total", [("component", "gateway"), ("peer", "product"), ("status", "200")])
        #expect(called.totalValue == 4)
    }

    @Test func aTokenVerifiedOnceTakesTheFastPathAndRefusalsStayWithTheRouter() async throws {
        let metrics = TestMetrics()
        try await withGateway(metrics: metrics) { client, issuer in
            let customer = try await issuer.token(roles: ["customer"])
            for _ in 0..<2 {
                let me = try await client.execute(uri: "/api/v1/users/me", method: .get, headers: [.authorization: "Bearer \(customer)"])
                #expect(me.status == .ok)
                #expect(String(buffer: me.body) == "GET /api/v1/users/me auth=Bearer \(customer)")
            }
            #expect(fastCount(metrics) == 1)
            // The same token, on a route for admins: refused by the router, which says why.
            let other = try await client.execute(uri: "/api/v1/users/u-2", method: .get, headers: [.authorization: "Bearer \(customer)"])
            #expect(other.status == .forbidden)
            let anonymous = try await client.execute(uri: "/api/v1/users/me", method: .get)
            #expect(anonymous.status == .unauthorized)
            #expect(fastCount(metrics) == 1)
        }
    }

    @Test func aLargeAnswerArrivesWholeAndInOrder() async throws {
        let metrics = TestMetrics()
        try await withGateway(metrics: metrics) { client, issuer in
            let answers = try await PipelinedClient.send([.init(.GET, "/api/v1/products/large/answer")], port: try #require(client.port))
            let body = try #require(answers.first?.bytes)
            #expect(body.count == Self.largeChunks * 64 * 1024)
            var expected = ByteBuffer()
            for chunk in 0..<Self.largeChunks {
                var part = Self.chunk(chunk)
                expected.writeBuffer(&part)
            }
            #expect(body == Array(expected.readableBytesView))
        }
        #expect(fastCount(metrics) == 1)
    }

    @Test func anAnswerBrokenOffUpstreamClosesTheClientsConnectionAndTheNextRequestIsServed() async throws {
        let metrics = TestMetrics()
        try await withGateway(metrics: metrics) { client, issuer in
            let port = try #require(client.port)
            // The head and part of the body are out: the client can only see the connection close.
            await #expect(throws: (any Error).self) {
                try await PipelinedClient.send([.init(.GET, "/api/v1/products/broken/answer")], port: port)
            }
            let next = try await PipelinedClient.send([.init(.GET, "/api/v1/products/e")], port: port)
            #expect(next.map(\.body) == ["GET /api/v1/products/e auth=none"])
        }
        #expect(fastCount(metrics) == 2)
    }

    @Test func aForwardedRequestInFlightAtShutdownIsAnswered() async throws {
        let issuer = TestIssuer()
        let (release, releaseContinuation) = AsyncStream<Void>.makeStream()
        let (arrived, arrivedContinuation) = AsyncStream<Void>.makeStream()
        try await issuer.run {
            try await makeUpstream(release: release, arrived: arrivedContinuation).test(.live) { upstream in
                let upstreamURL = "http://127.0.0.1:\(try #require(upstream.port))"
                let (bound, boundContinuation) = AsyncStream<Int>.makeStream()
                let settings = GatewaySettings(
                    server: HTTPServerSettings(port: 0), upstreamURLs: [.product: [upstreamURL]], readinessTargets: [],
                    auth: issuer.authSettings, rateLimits: .off)
                let gateway = try buildGateway(
                    settings: settings, directory: UpstreamDirectory(), onStarted: { _, port in boundContinuation.yield(port) },
                    metrics: TestMetrics())
                let group = ServiceGroup(services: [gateway], gracefulShutdownSignals: [], logger: Logger(label: "test"))
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask { try await group.run() }
                    var ports = bound.makeAsyncIterator()
                    let port = try #require(await ports.next())
                    async let answers = PipelinedClient.send([.init(.GET, "/api/v1/products/waiting/answer")], port: port)
                    var arrivals = arrived.makeAsyncIterator()
                    _ = await arrivals.next()
                    await group.triggerGracefulShutdown()
                    releaseContinuation.yield()
                    let answer = try await answers
                    #expect(answer.map(\.status) == [200])
                    #expect(answer.first?.body == "answered after the wait")
                    try await tasks.waitForAll()
                }
            }
        }
    }
}

/// A client that writes all its requests on one connection before reading any answer, as an
/// HTTP/1.1 client pipelining them does, and reads the answers in the order they come.
enum PipelinedClient {
    struct Request: Sendable {
        var method: HTTPMethod
        var target: String
        init(_ method: HTTPMethod, _ target: String) {
            self.method = method
            self.target = target
        }
    }

    struct Answer: Sendable {
        var status: Int
        var headers: [String: String]
        var bytes: [UInt8]
        var body: String { String(decoding: bytes, as: UTF8.self) }
    }

    static func send(_ requests: [Request], port: Int) async throws -> [Answer] {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let answered = loop.makePromise(of: [Answer].self)
        let channel = try await ClientBootstrap(group: loop)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(AnswerCollector(expected: requests.count, answered: answered))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        for request in requests {
            var headers = HTTPHeaders([("Host", "127.0.0.1:\(port)")])
            if request.method == .POST { headers.add(name: "Content-Length", value: "0") }
            channel.write(
                HTTPClientRequestPart.head(.init(version: .http1_1, method: request.method, uri: request.target, headers: headers)), promise: nil)
            channel.write(HTTPClientRequestPart.end(nil), promise: nil)
        }
        channel.flush()
        let answers = try await answered.futureResult.get()
        try? await channel.close()
        return answers
    }

    final class AnswerCollector: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart
        let expected: Int
        let answered: EventLoopPromise<[Answer]>
        var answers: [Answer] = []
        var current: Answer?

        init(expected: Int, answered: EventLoopPromise<[Answer]>) {
            self.expected = expected
            self.answered = answered
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                var headers: [String: String] = [:]
                for (name, value) in head.headers { headers[name.lowercased()] = value }
                current = Answer(status: Int(head.status.code), headers: headers, bytes: [])
            case .body(let buffer):
                current?.bytes.append(contentsOf: buffer.readableBytesView)
            case .end:
                if let current { answers.append(current) }
                current = nil
                if answers.count == expected { answered.succeed(answers) }
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            answered.fail(ChannelError.eof)
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            answered.fail(error)
            context.close(promise: nil)
        }
    }
}
