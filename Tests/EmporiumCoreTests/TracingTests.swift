import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdTesting
import InMemoryTracing
import MetricsTestKit
import NIOCore
import ServiceContextModule
import Synchronization
import Testing
import Tracing

@testable import EmporiumCore

/// What a component's spans say, recorded by an in-memory backend: a request is a server span,
/// the calls it makes are client spans under it, and the callee continues the caller's span.
@Suite(.timeLimit(.minutes(2))) struct TracingTests {
    /// A component whose one route answers the `traceparent` it was sent.
    func callee() throws -> ComponentApplication {
        let server = try ComponentServer(component: "product", settings: HTTPServerSettings(port: 0))
        let router = server.makeRouter(readiness: [])
        router.get("/api/v1/products/{id}") { request, _ in request.headers[.traceparent] ?? "-" }
        return server.makeApplication(router: router)
    }

    @Test func aRequestIsAServerSpanAndItsCallsAreClientSpansUnderIt() async throws {
        let backend = InMemoryTracer()
        let server = try ComponentServer(component: "order", settings: HTTPServerSettings(port: 0), tracing: .recording(in: backend))
        let client = OutboundHTTPClient(tracer: server.tracer)
        let calleePort = Mutex(0)
        let router = server.makeRouter(readiness: [])
        router.get("/api/v1/orders/{id}") { _, _ -> String in
            let response = try await client.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(calleePort.withLock { $0 })/api/v1/products/p-1"), dependency: "product")
            return String(buffer: try await response.body.collect(upTo: 1024))
        }
        let caller = server.makeApplication(router: router)
        try await callee().test(.live) { callee in
            let port = try #require(callee.port)
            calleePort.withLock { $0 = port }
            try await caller.test(.router) { caller in
                let incoming = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
                let response = try await caller.execute(uri: "/api/v1/orders/o-7", method: .get, headers: [.traceparent: incoming])
                #expect(response.status == .ok)
                let forwarded = try #require(TraceParent(header: String(buffer: response.body)))
                #expect(forwarded.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
                #expect(response.headers[.requestID] == "4bf92f3577b34da6a3ce929d0e0e4736")
            }
        }
        try await client.client.shutdown()

        let spans = backend.finishedSpans
        let serverSpan = try #require(spans.first { $0.kind == .server })
        let clientSpan = try #require(spans.first { $0.kind == .client })
        #expect(serverSpan.operationName == "GET /api/v1/orders/{id}")
        #expect(serverSpan.attributes["http.route"]?.toSpanAttribute() == .string("/api/v1/orders/{id}"))
        #expect(serverSpan.attributes["http.response.status_code"]?.toSpanAttribute() == .int64(200))
        #expect(serverSpan.attributes["emporium.order.id"]?.toSpanAttribute() == .string("o-7"))
        #expect(clientSpan.parentSpanID == serverSpan.spanID)
        #expect(clientSpan.attributes["peer.service"]?.toSpanAttribute() == .string("product"))
        #expect(clientSpan.attributes["http.response.status_code"]?.toSpanAttribute() == .int64(200))
    }

    @Test func aCallMadeForNoOneIsNotTraced() async throws {
        let client = OutboundHTTPClient(tracer: ComponentTracer(backend: InMemoryTracer()))
        try await callee().test(.live) { callee in
            let port = try #require(callee.port)
            let response = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/api/v1/products/p-1"))
            #expect(String(buffer: try await response.body.collect(upTo: 1024)) == "-")
        }
        try await client.client.shutdown()
    }

    @Test func aProbeIsAnsweredWithItsRequestIdButRecordsNoSpan() async throws {
        let backend = InMemoryTracer()
        let server = try ComponentServer(component: "order", settings: HTTPServerSettings(port: 0), tracing: .recording(in: backend))
        let router = server.makeRouter(readiness: [])
        router.get("/api/v1/orders") { _, _ in "[]" }
        // What a probe's own calls would see: no trace to join, so they are not traced.
        router.get("/health/calls") { _, _ in ServiceContext.current?.requestMetadata == nil ? "untraced" : "traced" }
        try await server.makeApplication(router: router).test(.router) { client in
            let calls = try await client.execute(uri: "/health/calls", method: .get)
            #expect(String(buffer: calls.body) == "untraced")
            let probe = try await client.execute(uri: "/health/ready", method: .get, headers: [.requestID: "probe-1"])
            #expect(probe.status == .ok && probe.headers[.requestID] == "probe-1")
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.headers[.requestID]?.count == 32, "a probe without one is named by its trace id")
            _ = try await client.execute(uri: "/api/v1/orders", method: .get)
        }
        #expect(backend.finishedSpans.map(\.operationName) == ["GET /api/v1/orders"])
    }

    @Test func theEmbeddedConsoleCollectsUnlessTheEnvironmentChose() throws {
        let endpoint = "http://127.0.0.1:9/v1/traces"
        let unset = try TracingSettings(environment: [:]).exportingByDefault(to: endpoint, headers: ["Authorization": "Bearer k"])
        #expect(unset.exports && unset.tracesEndpoint == endpoint && unset.headers == ["Authorization": "Bearer k"])
        for chosen in [["OTEL_SDK_DISABLED": "true"], ["OTEL_TRACES_EXPORTER": "none"], ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://a:1"]] {
            let settings = try TracingSettings(environment: chosen)
            #expect(settings.exportingByDefault(to: endpoint, headers: [:]) == settings, "\(chosen)")
        }
    }

    @Test func spansAreExportedOnlyWhenACollectorIsNamed() throws {
        #expect(try TracingSettings(environment: [:]).exports == false)
        #expect(try TracingSettings(environment: ["PATH": "/bin"]).exports == false)
        let shared = try TracingSettings(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318/"])
        #expect(shared.exports && shared.tracesEndpoint == "http://127.0.0.1:4318/v1/traces")
        let own = try TracingSettings(environment: [
            "OTEL_EXPORTER_OTLP_ENDPOINT": "http://a:1", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://b:2/spans",
        ])
        #expect(own.tracesEndpoint == "http://b:2/spans")
        #expect(try TracingSettings(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://a:1", "OTEL_SDK_DISABLED": "true"]).exports == false)
        #expect(try TracingSettings(environment: ["OTEL_EXPORTER_OTLP_ENDPOINT": "http://a:1", "OTEL_TRACES_EXPORTER": "none"]).exports == false)
        #expect(try TracingSettings(environment: ["OTEL_TRACES_EXPORTER": "console"]).exports)
    }

    @Test(arguments: [
        ("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"), ("OTEL_PROPAGATORS", "tracecontext,b3"), ("OTEL_TRACES_SAMPLER", "jaeger_remote"),
        ("OTEL_TRACES_EXPORTER", "zipkin"),
    ])
    func valuesThisBuildCannotHonourAreRefusedByName(key: String, value: String) {
        #expect {
            try TracingSettings(environment: [key: value])
        } throws: { error in
            "\(error)".contains(key) && "\(error)".contains(value.split(separator: ",").last!)
        }
    }

    @Test func anIDInTheRouteNamesWhatTheSpanConcerns() {
        #expect(subject("/api/v1/orders/{id}/cancel", "/api/v1/orders/o-1/cancel") == "emporium.order.id=o-1")
        #expect(subject("/api/v1/products/{id}", "/api/v1/products/p-2") == "emporium.product.id=p-2")
        #expect(subject("/api/v1/orders", "/api/v1/orders") == nil)
        #expect(subject("/health/{what}", "/health/live") == nil)
    }

    /// The attribute a route and path give a server span, as `key=id`.
    func subject(_ route: String, _ path: String) -> String? {
        ServerSpanAttributes.subject(route: route, path: path).map { "\($0.key)=\($0.id)" }
    }
}

extension TracingTests {
    @Test func aClientSpanNamesTheServerItCalls() {
        #expect(ClientSpanAttributes.authority(of: "http://127.0.0.1:8082/api/v1/products?q=1") == ("127.0.0.1", 8082))
        #expect(ClientSpanAttributes.authority(of: "https://pay.example.com/v1/intents") == ("pay.example.com", 443))
        #expect(ClientSpanAttributes.authority(of: "http://[::1]:9000/x") == ("::1", 9000))
        #expect(ClientSpanAttributes.authority(of: "http://shipping") == ("shipping", 80))
    }
}

/// The calls a component makes, counted by dependency and answer: the edges of the platform's graph.
@Suite struct OutboundCallMetricsTests {
    @Test func callsAreCountedByPeerAndStatusAndUnansweredOnesAsErrors() throws {
        let factory = TestMetrics()
        let metrics = OutboundCallMetrics(component: "order", factory: factory)
        metrics.record(peer: "product", status: 200, duration: .milliseconds(3))
        metrics.record(peer: "product", status: 200, duration: .milliseconds(5))
        metrics.record(peer: "shipping", status: nil, duration: .seconds(1))
        let ok = [("component", "order"), ("peer", "product"), ("status", "200")]
        #expect(try factory.expectCounter("emporium_http_client_requests_total", ok).totalValue == 2)
        #expect(try factory.expectTimer("emporium_http_client_request_duration_seconds", ok).values == [3_000_000, 5_000_000])
        let failed = [("component", "order"), ("peer", "shipping"), ("status", "error")]
        #expect(try factory.expectCounter("emporium_http_client_requests_total", failed).totalValue == 1)
    }
}
