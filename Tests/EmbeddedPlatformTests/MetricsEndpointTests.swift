import Contracts
import EmbeddedPlatform
import EmporiumTestSupport
import Foundation
import Testing

@testable import EmporiumCore

/// `GET /metrics` as a Prometheus server scrapes it: the text format, every component's requests
/// by route and status, and the outbox gauges.
@Suite(.tags(.platform), .timeLimit(.minutes(3))) struct MetricsEndpointTests {
    @Test func eachComponentServesItsRequestsAndTheProcessMetricsToAScraper() async throws {
        MetricsExport.bootstrap()
        try await PlatformFixture.withPlatform { report in
            let gateway = report.gatewayURL
            #expect(try await HTTP.get("\(gateway)/api/v1/products").status == 200)
            #expect(try await HTTP.get("\(gateway)/api/v1/nope").status == 404)

            let product = try await HTTP.get("http://127.0.0.1:\(try #require(report.ports[.product]))/metrics")
            #expect(product.status == 200)
            #expect(product.contentType == "text/plain; version=0.0.4; charset=utf-8")
            let text = String(decoding: product.body, as: UTF8.self)
            // The product service answered the gateway's forwarded request; the pattern, not the path.
            #expect(text.contains(#"emporium_http_requests_total{component="product",route="/api/v1/products",method="GET",status="200"} "#))
            #expect(
                text.contains(
                    #"emporium_http_request_duration_seconds_bucket{component="product",route="/api/v1/products",method="GET",status="200","#))
            #expect(text.contains(#"emporium_outbox_depth{service="product"}"#))

            // The gateway counts what no route matched under one series, whatever the path.
            let edge = try await HTTP.get("\(gateway)/metrics")
            #expect(edge.status == 200)
            #expect(
                String(decoding: edge.body, as: UTF8.self).contains(
                    #"emporium_http_requests_total{component="gateway",route="NotFound",method="GET",status="404"} "#))
        }
    }

    @Test func theGatewayShowsItsMetricsOnlyToItsOwnMachine() {
        #expect(MetricsExport.isLoopback("127.0.0.1"))
        #expect(MetricsExport.isLoopback("::1"))
        #expect(MetricsExport.isLoopback("::ffff:127.0.0.1"))
        #expect(!MetricsExport.isLoopback("10.0.0.7"))
        #expect(!MetricsExport.isLoopback("2001:db8::1"))
        #expect(!MetricsExport.isLoopback(nil))
    }
}
