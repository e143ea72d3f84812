import Configuration
import EmporiumCore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// What a client sees when a request goes wrong, through the middleware every component uses.
@Suite(.timeLimit(.minutes(2))) struct ProblemResponseTests {
    struct Order: Decodable {
        struct Line: Decodable { var sku: String }
        var name: String
        var quantity: Int
        var items: [Line]
    }

    struct SecretFailure: Error { let password = "hunter2-internal" }

    /// A component with a JSON route, a failing route and a 64-byte body limit.
    func makeApplication() throws -> ComponentApplication {
        let server = try ComponentServer(component: "test", settings: HTTPServerSettings(port: 0, maxRequestBodyBytes: 64))
        let router = server.makeRouter(readiness: [])
        router.resource("/orders") { routes in
            routes.post { request, context -> HTTPResponse.Status in
                _ = try await request.decodeJSON(as: Order.self, context: context)
                return .created
            }
        }
        router.resource("/explode") { routes in
            routes.get { _, _ -> String in throw SecretFailure() }
        }
        return server.makeApplication(router: router)
    }

    func post(_ client: some TestClientProtocol, _ json: String, contentType: String = "application/json") async throws -> TestResponse {
        try await client.execute(uri: "/orders", method: .post, headers: [.contentType: contentType], body: ByteBuffer(string: json))
    }

    func problem(_ response: TestResponse) throws -> ProblemDocument {
        #expect(response.headers[.contentType] == "application/problem+json")
        return try JSONDecoder().decode(ProblemDocument.self, from: Data(response.body.readableBytesView))
    }

    @Test func validBodyIsAccepted() async throws {
        try await makeApplication().test(.router) { client in
            let response = try await post(client, #"{"name":"a","quantity":1,"items":[]}"#)
            #expect(response.status == .created)
        }
    }

    @Test func malformedJSONIs400() async throws {
        try await makeApplication().test(.router) { client in
            let response = try await post(client, #"{"name":"#)
            #expect(response.status == .badRequest)
            let document = try problem(response)
            #expect(document.type == "urn:emporium:problem:malformed-body")
            #expect(document.status == 400)
            #expect(document.instance == "/orders")
        }
    }

    @Test func wrongFieldTypeNamesTheField() async throws {
        try await makeApplication().test(.router) { client in
            let response = try await post(client, #"{"name":"a","quantity":"two","items":[]}"#)
            #expect(response.status == .badRequest)
            let document = try problem(response)
            #expect(document.type == "urn:emporium:problem:invalid-field")
            #expect(document.field == "quantity")
            #expect(document.detail?.contains("integer") == true)
        }
    }

    @Test func missingNestedFieldNamesItsPath() async throws {
        try await makeApplication().test(.router) { client in
            let response = try await post(client, #"{"name":"a","quantity":1,"items":[{"sku":"x"},{}]}"#)
            #expect(response.status == .badRequest)
            #expect(try problem(response).field == "items[1].sku")
        }
    }

    @Test func nonJSONMediaTypeIs415() async throws {
        try await makeApplication().test(.router) { client in
            let response = try await post(client, "name=a", contentType: "application/x-www-form-urlencoded")
            #expect(response.status == .unsupportedMediaType)
            #expect(try problem(response).type == "urn:emporium:problem:unsupported-media-type")
        }
    }

    @Test func unknownRouteIs404Problem() async throws {
        try await makeApplication().test(.router) { client in
            let response = try await client.execute(uri: "/nope", method: .get)
            #expect(response.status == .notFound)
            #expect(try problem(response).type == "urn:emporium:problem:not-found")
        }
    }

    @Test func wrongMethodIs405WithAllow() async throws {
        try await makeApplication().test(.router) { client in
            let response = try await client.execute(uri: "/orders", method: .delete)
            #expect(response.status == .methodNotAllowed)
            #expect(response.headers[.allow] == "POST")
            #expect(try problem(response).type == "urn:emporium:problem:method-not-allowed")
        }
    }

    @Test func theRouteListNamesWhatTheComponentServesAndNothingElse() async throws {
        try await makeApplication().test(.router) { client in
            let response = try await client.execute(uri: "/meta/routes", method: .get)
            #expect(response.status == .ok)
            let list = try JSONDecoder().decode(RouteList.self, from: Data(response.body.readableBytesView))
            #expect(list.component == "test")
            let served = Set(list.routes.map { "\($0.method) \($0.path)" })
            #expect(served.isSuperset(of: ["POST /orders", "GET /explode", "GET /health/ready", "GET /metrics", "GET /meta/routes"]))
            // The 405s are answered by middleware, so no other method of /orders is in the list.
            #expect(!served.contains { $0.hasSuffix(" /orders") && $0 != "POST /orders" })
            // A GET path allows HEAD too.
            let head = try await client.execute(uri: "/explode", method: .put)
            #expect(head.headers[.allow] == "GET, HEAD")
        }
    }

    @Test func bodyOverTheLimitIs413() async throws {
        try await makeApplication().test(.router) { client in
            let big = #"{"name":""# + String(repeating: "x", count: 100) + #"","quantity":1,"items":[]}"#
            let response = try await post(client, big)
            #expect(response.status == .contentTooLarge)
            #expect(try problem(response).type == "urn:emporium:problem:body-too-large")
        }
    }

    @Test func unexpectedErrorIs500WithoutInternals() async throws {
        try await makeApplication().test(.router) { client in
            let response = try await client.execute(uri: "/explode", method: .get)
            #expect(response.status == .internalServerError)
            let text = String(buffer: response.body)
            #expect(!text.contains("hunter2"))
            #expect(!text.contains("SecretFailure"))
            #expect(try problem(response).type == "urn:emporium:problem:internal-error")
        }
    }

    @Test func requestIDIsEchoedAndNamedInProblems() async throws {
        try await makeApplication().test(.router) { client in
            let response = try await client.execute(uri: "/nope", method: .get, headers: [.requestID: "req-42"])
            #expect(response.headers[.requestID] == "req-42")
            #expect(try problem(response).requestId == "req-42")
        }
    }

    @Test func withoutARequestIDTheRequestIsNamedByItsTrace() async throws {
        try await makeApplication().test(.router) { client in
            let traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
            let response = try await client.execute(uri: "/nope", method: .get, headers: [.traceparent: traceparent])
            #expect(response.headers[.requestID] == "4bf92f3577b34da6a3ce929d0e0e4736")
            #expect(try problem(response).requestId == "4bf92f3577b34da6a3ce929d0e0e4736")
        }
    }

    @Test func aRequestsLogLinesCarryItsRequestIDTraceAndSpan() async throws {
        let router = Router()
        router.add(middleware: RequestMetadataMiddleware())
        router.get("/who") { _, _ -> String in
            let metadata = Logger.MetadataProvider.traceCorrelation.get()
            return ["request-id", "trace_id", "span_id"].map { key in metadata[key].map { "\($0)" } ?? "-" }.joined(separator: " ")
        }
        try await Application(router: router).test(.router) { client in
            let headers: HTTPFields = [.requestID: "req-9", .traceparent: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"]
            let response = try await client.execute(uri: "/who", method: .get, headers: headers)
            let fields = String(buffer: response.body).split(separator: " ").map(String.init)
            #expect(fields.count == 3)
            #expect(fields.prefix(2) == ["req-9", "4bf92f3577b34da6a3ce929d0e0e4736"])
            // The request's own span, a child of the caller's.
            #expect(fields.last?.count == 16)
            #expect(fields.last != "00f067aa0ba902b7")
        }
    }

    @Test func forgedRequestIDIsReplaced() async throws {
        try await makeApplication().test(.router) { client in
            let forged = String(repeating: "a", count: 200)
            let response = try await client.execute(uri: "/nope", method: .get, headers: [.requestID: forged])
            let echoed = try #require(response.headers[.requestID])
            #expect(echoed != forged)
            #expect(!echoed.isEmpty)
        }
    }

    @Test func livenessAndReadinessAnswer() async throws {
        try await makeApplication().test(.router) { client in
            #expect(try await client.execute(uri: "/health/live", method: .get).status == .ok)
            let ready = try await client.execute(uri: "/health/ready", method: .get)
            #expect(ready.status == .ok)
            #expect(try JSONDecoder().decode(HealthReport.self, from: Data(ready.body.readableBytesView)).status == "ready")
        }
    }

    struct FailingCheck: ReadinessCheck {
        var name: String { "database" }
        func check() async -> CheckResult { .unready("down") }
    }

    @Test func failingCheckMakesReadiness503() async throws {
        let server = try ComponentServer(component: "test", settings: HTTPServerSettings(port: 0))
        let app = server.makeApplication(router: server.makeRouter(readiness: [FailingCheck()]))
        try await app.test(.router) { client in
            let response = try await client.execute(uri: "/health/ready", method: .get)
            #expect(response.status == .serviceUnavailable)
            let report = try JSONDecoder().decode(HealthReport.self, from: Data(response.body.readableBytesView))
            #expect(report.checks["database"]?.status == .unready)
        }
    }

    @Test func healthReportsNameTheInstance() async throws {
        let config = ConfigReader(provider: InMemoryProvider(values: ["instance-id": "order-2"]))
        let settings = try HTTPServerSettings(config: config, scope: "order", defaultPort: 0)
        #expect(settings.instanceID == "order-2")
        let unnamed = try HTTPServerSettings(config: ConfigReader(provider: InMemoryProvider(values: [:])), scope: "order", defaultPort: 0)
        #expect(unnamed.instanceID == HTTPServerSettings.defaultInstanceID)
        #expect(unnamed.instanceID?.hasSuffix("-\(ProcessInfo.processInfo.processIdentifier)") == true)

        let server = try ComponentServer(component: "order", settings: settings)
        #expect(server.logger[metadataKey: "instance"] == "order-2")
        try await server.makeApplication(router: server.makeRouter(readiness: [])).test(.router) { client in
            for path in ["/health/live", "/health/ready"] {
                let report = try JSONDecoder().decode(
                    HealthReport.self, from: Data(try await client.execute(uri: path, method: .get).body.readableBytesView))
                #expect(report.instance == "order-2")
                #expect(report.component == "order")
            }
        }
    }
}
