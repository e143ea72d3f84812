import Contracts
import EmporiumCore
import EmporiumTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@testable import Gateway

/// The gateway in front of a real upstream server on loopback: what passes, what stops, and what
/// the client sees when the upstream is down or slow.
@Suite(.timeLimit(.minutes(2))) struct ForwardingTests {
    /// What the upstream saw of a request.
    struct Echo: Codable, ResponseEncodable {
        var method: String
        var target: String
        var body: String
        var headers: [String: String]
    }

    /// An upstream "product" component that echoes requests, answers 409, and can be slow.
    func makeUpstream() throws -> ComponentApplication {
        let server = try ComponentServer(component: "product", settings: HTTPServerSettings(port: 0))
        let router = server.makeRouter(readiness: [])
        let echo: @Sendable (Request, EmporiumRequestContext) async throws -> Response = { request, context in
            let body = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
            let seen = Echo(method: request.method.rawValue, target: request.head.path ?? "", body: String(buffer: body), headers: headers)
            var response = try seen.response(from: request, context: context)
            response.headers[.init("X-Upstream")!] = "product"
            response.status = request.method == .post ? .created : .ok
            return response
        }
        router.on("/api/v1/products", method: .get, use: echo)
        router.on("/api/v1/products", method: .post, use: echo)
        router.on("/api/v1/products/**", method: .get, use: echo)
        router.get("/api/v1/products/conflict/now") { _, _ -> Response in
            throw Problem(.init(slug: "sku-taken", title: "SKU taken", status: .conflict), detail: "KIT-001 exists")
        }
        // Answers before reading the body, as a service refusing a request early does.
        router.post("/api/v1/products/early/refusal") { _, _ -> Response in
            throw Problem(.unauthorized, detail: "refused before the body was read")
        }
        router.get("/api/v1/products/slow/now") { _, _ -> String in
            try await Task.sleep(for: .seconds(3))
            return "late"
        }
        return server.makeApplication(router: router)
    }

    func makeGateway(productURL: String, issuer: TestIssuer, timeout: Duration = .seconds(5), maxBody: Int = 1_048_576) throws -> ComponentApplication
    {
        let settings = GatewaySettings(
            server: HTTPServerSettings(port: 0, maxRequestBodyBytes: maxBody),
            upstreamTimeout: timeout,
            upstreamURLs: [.product: [productURL]],
            readinessTargets: [.product],
            auth: issuer.authSettings,
            rateLimits: .off
        )
        return try buildGateway(settings: settings, directory: UpstreamDirectory())
    }

    /// Runs `body` with a client of a gateway in front of a live upstream, and the issuer it trusts.
    func withGateway(
        timeout: Duration = .seconds(5),
        maxBody: Int = 1_048_576,
        _ body: @escaping @Sendable (any TestClientProtocol, TestIssuer) async throws -> Void
    ) async throws {
        let issuer = TestIssuer()
        try await issuer.run {
            try await makeUpstream().test(.live) { upstream in
                let port = try #require(upstream.port)
                try await makeGateway(productURL: "http://127.0.0.1:\(port)", issuer: issuer, timeout: timeout, maxBody: maxBody).test(.live) {
                    client in
                    try await body(client, issuer)
                }
            }
        }
    }

    func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
        try JSONDecoder().decode(type, from: Data(response.body.readableBytesView))
    }

    @Test func forwardsMethodPathQueryBodyAndHeaders() async throws {
        try await withGateway { client, issuer in
            let token = try await issuer.token(roles: ["admin"])
            let response = try await client.execute(
                uri: "/api/v1/products?q=lamp&page=2",
                method: .post,
                headers: [
                    .authorization: "Bearer \(token)", .idempotencyKey: "key-1", .contentType: "application/json",
                    .cookie: "session=secret", .requestID: "req-7",
                ],
                body: ByteBuffer(string: #"{"name":"Lamp"}"#)
            )
            #expect(response.status == .created)
            #expect(response.headers[.init("X-Upstream")!] == "product")
            let echo = try decode(Echo.self, response)
            #expect(echo.method == "POST")
            #expect(echo.target == "/api/v1/products?q=lamp&page=2")
            #expect(echo.body == #"{"name":"Lamp"}"#)
            #expect(echo.headers["authorization"] == "Bearer \(token)")
            #expect(echo.headers["idempotency-key"] == "key-1")
            #expect(echo.headers["x-request-id"] == "req-7")
            #expect(echo.headers["cookie"] == nil)
        }
    }

    @Test func continuesTheCallersTrace() async throws {
        try await withGateway { client, _ in
            let incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
            let response = try await client.execute(uri: "/api/v1/products", method: .get, headers: [.traceparent: incoming])
            let forwarded = try #require(try decode(Echo.self, response).headers["traceparent"].flatMap(TraceParent.init(header:)))
            #expect(forwarded.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
            #expect(forwarded.spanID != "00f067aa0ba902b7")
        }
    }

    @Test func nestedPathsAreForwarded() async throws {
        try await withGateway { client, _ in
            let response = try await client.execute(uri: "/api/v1/products/abc/reviews", method: .get)
            #expect(response.status == .ok)
            #expect(try decode(Echo.self, response).target == "/api/v1/products/abc/reviews")
        }
    }

    @Test func upstreamProblemsPassThrough() async throws {
        try await withGateway { client, _ in
            let response = try await client.execute(uri: "/api/v1/products/conflict/now", method: .get)
            #expect(response.status == .conflict)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(try decode(ProblemDocument.self, response).type == "urn:emporium:problem:sku-taken")
        }
    }

    @Test func slowUpstreamIs504() async throws {
        try await withGateway(timeout: .milliseconds(300)) { client, _ in
            let response = try await client.execute(uri: "/api/v1/products/slow/now", method: .get)
            #expect(response.status == .gatewayTimeout)
            #expect(try decode(ProblemDocument.self, response).type == "urn:emporium:problem:gateway-timeout")
        }
    }

    @Test func anUpstreamThatKeepsFailingIsPausedByItsBreaker() async throws {
        try await makeGateway(productURL: "http://127.0.0.1:1", issuer: TestIssuer(), timeout: .seconds(2)).test(.live) { client in
            // Three refused connections in a row open the instance's breaker (it ejects quickly).
            for _ in 0..<3 { _ = try await client.execute(uri: "/api/v1/products", method: .get) }
            let paused = try await client.execute(uri: "/api/v1/products", method: .get)
            #expect(paused.status == .serviceUnavailable)
            #expect(try decode(ProblemDocument.self, paused).detail?.contains("calls to it are paused") == true)
            #expect(paused.headers[.retryAfter] != nil)
            let ready = try decode(HealthReport.self, try await client.execute(uri: "/health/ready", method: .get))
            #expect(ready.checks["circuits"]?.status == .degraded)
            #expect(ready.checks["circuits"]?.detail?.contains("product@127.0.0.1:1 open") == true)
        }
    }

    @Test func downUpstreamIs503AndUnready() async throws {
        // Port 1 on loopback has no listener, so connections are refused.
        try await makeGateway(productURL: "http://127.0.0.1:1", issuer: TestIssuer(), timeout: .seconds(2)).test(.live) { client in
            let response = try await client.execute(uri: "/api/v1/products", method: .get)
            #expect(response.status == .serviceUnavailable)
            #expect(try decode(ProblemDocument.self, response).type == "urn:emporium:problem:service-unavailable")

            let ready = try await client.execute(uri: "/health/ready", method: .get)
            #expect(ready.status == .serviceUnavailable)
            #expect(try decode(HealthReport.self, ready).checks["product"]?.status == .unready)
        }
    }

    @Test func readinessReportsEachUpstream() async throws {
        try await withGateway { client, _ in
            let ready = try await client.execute(uri: "/health/ready", method: .get)
            #expect(ready.status == .ok)
            #expect(try decode(HealthReport.self, ready).checks["product"]?.status == .ready)
        }
    }

    @Test func unknownPathIs404AtTheGateway() async throws {
        try await withGateway { client, _ in
            let response = try await client.execute(uri: "/api/v1/nope", method: .get)
            #expect(response.status == .notFound)
            #expect(try decode(ProblemDocument.self, response).type == "urn:emporium:problem:not-found")
        }
    }

    @Test func oversizedBodyIs413BeforeReachingTheUpstream() async throws {
        try await withGateway(maxBody: 16) { client, _ in
            let response = try await client.execute(
                uri: "/api/v1/products",
                method: .post,
                headers: [.contentType: "application/json"],
                body: ByteBuffer(string: String(repeating: "x", count: 64))
            )
            #expect(response.status == .contentTooLarge)
            #expect(try decode(ProblemDocument.self, response).type == "urn:emporium:problem:body-too-large")
        }
    }

    @Test func aMethodTheContractDoesNotListIs405WithItsAllowBeforeAnyToken() async throws {
        try await withGateway { client, _ in
            let put = try await client.execute(uri: "/api/v1/products/00000000-0000-4000-8000-0000000D0001", method: .put)
            #expect(put.status == .methodNotAllowed)
            #expect(put.headers[.allow] == "DELETE, GET, PATCH, HEAD")
            let trace = try await client.execute(uri: "/api/v1/products", method: .trace)
            #expect(trace.status == .methodNotAllowed)
            #expect(trace.headers[.allow] == "GET, POST, HEAD")
            #expect(try decode(ProblemDocument.self, trace).type == "urn:emporium:problem:method-not-allowed")
            let elsewhere = try await client.execute(uri: "/nowhere", method: .options)
            #expect(elsewhere.status == .notFound)
        }
    }

    @Test func theIdentityProvidersAdminAPIIsNotReachableFromOutside() async throws {
        try await withGateway { client, issuer in
            let token = try await issuer.token(roles: ["admin"])
            for path in ["/auth/admin/accounts", "/auth/admin/keys/rotate", "/auth"] {
                let response = try await client.execute(uri: path, method: .post, headers: [.authorization: "Bearer \(token)"])
                #expect(response.status == .notFound, "\(path)")
            }
        }
    }

    @Test func theContractIsServedAsJSONYAMLAndAPage() async throws {
        try await withGateway { client, _ in
            let json = try await client.execute(uri: "/openapi.json", method: .get)
            #expect(json.status == .ok && json.headers[.contentType] == "application/json")
            let document = try JSONSerialization.jsonObject(with: Data(json.body.readableBytesView)) as? [String: Any]
            #expect(document?["openapi"] as? String == "3.1.0")
            #expect((document?["paths"] as? [String: Any])?["/api/v1/orders"] != nil)
            let yaml = try await client.execute(uri: "/openapi.yaml", method: .get)
            #expect(String(buffer: yaml.body).hasPrefix("openapi: 3.1.0"))
            let page = try await client.execute(uri: "/docs", method: .get)
            #expect(page.headers[.contentType] == "text/html; charset=utf-8")
            let html = String(buffer: page.body)
            #expect(html.contains(#"id="op-createOrder""#) && html.contains("urn:emporium:problem:insufficient-stock"))
        }
    }

    @Test func aBodyTheUpstreamLeavesUnreadIsNeverAskedForTwice() async throws {
        // The gateway once streamed bodies through, and a schemathesis run trapped the process in
        // the request body's "single iterator" check (ADR 25); this is the shape of that run, an
        // upstream answering before reading the body. The race itself has not been reproduced
        // here on demand, so this guards the behaviour, not the old timing.
        try await withGateway { client, _ in
            for _ in 0..<5 {
                let refused = try await client.execute(
                    uri: "/api/v1/products/early/refusal", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: String(repeating: "x", count: 200_000)))
                #expect(refused.status == .unauthorized)
                let next = try await client.execute(uri: "/api/v1/products", method: .get)
                #expect(next.status == .ok)
            }
        }
    }

    @Test func authPrefixIsStrippedForTheIdentityProvider() throws {
        let auth = try #require(GatewayRoute.all.first { $0.upstream == .idp })
        #expect(auth.upstreamTarget(for: "/auth/token?grant_type=password") == "/token?grant_type=password")
        #expect(auth.upstreamTarget(for: "/auth/.well-known/openid-configuration") == "/.well-known/openid-configuration")
        #expect(auth.upstreamTarget(for: "/auth") == "/")
        let orders = try #require(GatewayRoute.all.first { $0.upstream == .order })
        #expect(orders.prefix == "/api/v1/orders")
        #expect(orders.upstreamTarget(for: "/api/v1/orders/1?x=2") == "/api/v1/orders/1?x=2")
    }
}
