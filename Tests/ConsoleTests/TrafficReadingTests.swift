import Foundation
import Testing

@testable import Console

/// What the console reads out of a process's `/metrics`: the exposition as the platform's
/// components write it, turned into the graph's edges and the services' gauges.
@Suite struct TrafficReadingTests {
    static let exposition = """
        # TYPE emporium_http_client_requests_total counter
        emporium_http_client_requests_total{component="order",peer="product",status="200"} 7
        emporium_http_client_requests_total{component="order",peer="product",status="503"} 2
        emporium_http_client_requests_total{component="order",peer="product",status="error"} 1
        emporium_http_client_requests_total{component="order",peer="shipping",status="404"} 3
        emporium_http_client_request_duration_seconds_bucket{component="order",peer="product",status="200",le="0.005"} 1
        emporium_http_client_request_duration_seconds_bucket{component="order",peer="product",status="200",le="0.01"} 7
        emporium_http_client_request_duration_seconds_bucket{component="order",peer="product",status="200",le="+Inf"} 7
        emporium_http_requests_total{component="gateway",route="/api/v1/orders",method="POST",status="201"} 4
        emporium_http_requests_total{component="gateway",route="/health/ready",method="GET",status="200"} 50
        emporium_http_requests_total{component="gateway",route="/metrics",method="GET",status="200"} 50
        emporium_http_requests_total{component="order",route="/api/v1/orders",method="POST",status="201"} 4
        emporium_events_published_total{service="order",type="emporium.order.created.v1"} 10
        emporium_events_handled_total{consumer="product.stock",type="emporium.order.created.v1"} 9
        emporium_events_retried_total{consumer="product.stock",type="emporium.order.created.v1"} 2
        emporium_events_dead_lettered_total{consumer="product.stock",type="emporium.order.created.v1"} 1
        emporium_events_duplicate_total{consumer="product.stock",type="emporium.order.created.v1"} 5
        emporium_outbox_depth{service="order"} 3
        emporium_outbox_oldest_age_seconds{service="order"} 1.5
        emporium_dead_letters_waiting{consumer="notification.events"} 2
        emporium_dead_letters_waiting{consumer="notification.email"} 1
        emporium_consumer_lag{consumer="product.stock"} 4
        emporium_consumer_lag{consumer="product.recommendations"} 2
        hummingbird_requests_total{component="order"} 99
        """

    @Test func labelsAreUnescapedAndWhatIsNoSampleIsLeftOut() {
        let samples = PrometheusText.samples(
            in: #"""
                # HELP x help
                x{path="a \"quoted\" \\ back\nslash",le="+Inf"} 3 1700000000
                broken{label="unclosed} 1
                y 2.5
                """#)
        #expect(
            samples == [
                PrometheusSample(name: "x", labels: ["path": "a \"quoted\" \\ back\nslash", "le": "+Inf"], value: 3),
                PrometheusSample(name: "y", labels: [:], value: 2.5),
            ])
    }

    @Test func callsCountTheirFailuresAndTheirDurations() {
        let reading = TrafficReading(samples: PrometheusText.samples(in: Self.exposition, prefix: TrafficReading.metricPrefix))
        let product = reading.edges[.call(from: "order", to: "product")]
        #expect(product?.count == 10)
        #expect(product?.errors == 3, "a 503 and a call that got no answer; a 200 is no failure")
        #expect(product?.buckets.prefix(2) == [1, 7])
        #expect(product?.p95Seconds.map { $0 > 0.005 && $0 <= 0.01 } == true)
        #expect(reading.edges[.call(from: "order", to: "shipping")]?.errors == 0, "a 404 is the caller's mistake, not the edge failing")
    }

    @Test func theClientsEdgeIsWhatTheGatewayAnswersButProbesAndScrapes() {
        let reading = TrafficReading(samples: PrometheusText.samples(in: Self.exposition, prefix: TrafficReading.metricPrefix))
        #expect(reading.edges[TrafficReading.clientCalls]?.count == 4)
    }

    @Test func eventsArePublishedAndDeliveredByTypeWithTheirFailedAttempts() {
        let reading = TrafficReading(samples: PrometheusText.samples(in: Self.exposition, prefix: TrafficReading.metricPrefix))
        #expect(reading.edges[.publish(type: "emporium.order.created.v1", service: "order")]?.count == 10)
        let delivered = reading.edges[.delivery(type: "emporium.order.created.v1", group: "product.stock")]
        #expect(delivered?.count == 12, "handled, retried and dead-lettered attempts; duplicates are not deliveries")
        #expect(delivered?.errors == 3)
        #expect(reading.outboxDepth == ["order": 3] && reading.outboxOldestAge == ["order": 1.5])
        #expect(reading.deadLetters == ["notification": 3], "every consumer group of the service together")
        #expect(reading.consumerLag == ["product": 6])
        // Two instances of the Product Service report their groups' lag, the same: it is counted once.
        let snapshot = Accumulator().add(
            ["product-1": reading, "product-2": reading], health: ["product": [InstanceHealth(url: "http://127.0.0.1:1", status: "ready")]], at: 1)
        #expect(snapshot.consumerLag == ["product": 6])
        let node = PlatformGraph(now: snapshot, earlier: nil, windowSeconds: 60, oldest: 1, newest: 1).nodes.first { $0.id == "product" }
        #expect(node?.consumerLag == 6)
    }

    @Test func theNinetyFifthPercentileIsInterpolatedInItsBucket() {
        var total = EdgeTotal()
        // Cumulative, as Prometheus writes them: 50 calls within 10 ms, the other 50 between 50 and 100 ms.
        for (bound, calls) in [(0.005, 0.0), (0.01, 50), (0.025, 50), (0.05, 50), (0.1, 100), (.infinity, 100)] {
            total.addToBucket(bound, calls)
        }
        // Rank 95 of 100 is the 45th of the 50 calls in (0.05, 0.1]: 0.05 + 0.05 × 45/50.
        #expect(abs((total.p95Seconds ?? 0) - 0.095) < 1e-9)
        #expect(EdgeTotal().p95Seconds == nil)
    }
}
