import Contracts
import EmporiumCore
import Foundation
import Testing

@testable import Console

/// The graph the console draws, pinned against known traffic: the figures of a window, counters
/// that restart with their process, the topology's idle edges, the nodes' health and the memory
/// the history keeps.
@Suite struct PlatformGraphTests {
    static let created = "emporium.order.created.v1"

    static func reading(orders: Double, stockHandled: Double) -> TrafficReading {
        var reading = TrafficReading()
        reading.edges[.publish(type: created, service: "order")] = EdgeTotal(count: orders)
        reading.edges[.delivery(type: created, group: "product.stock")] = EdgeTotal(count: stockHandled)
        return reading
    }

    static let healthy = [
        "order": [InstanceHealth(url: "http://127.0.0.1:1", status: "ready"), InstanceHealth(url: "http://127.0.0.1:2", status: "down")],
        "product": [InstanceHealth(url: "http://127.0.0.1:3", status: "ready")],
    ]

    @Test func afterTenCheckoutsTheOrderCreatedEdgesSayTen() throws {
        let accumulator = Accumulator()
        let history = TrafficHistory()
        history.append(accumulator.add(["order-1": Self.reading(orders: 5, stockHandled: 5)], health: Self.healthy, at: 1000))
        history.append(accumulator.add(["order-1": Self.reading(orders: 15, stockHandled: 15)], health: Self.healthy, at: 1030))
        let graph = try #require(history.graph(windowSeconds: 60))
        let edges = Dictionary(uniqueKeysWithValues: graph.edges.map { ($0.id, $0) })
        let published = try #require(edges["publish:\(Self.created):order"])
        #expect(published.count == 10 && published.total == 15, "the window's ten; fifteen since the console started")
        #expect(published.kind == "event" && published.from == "order" && published.to == "broker" && published.event == "OrderCreated")
        #expect(abs(published.ratePerSecond - 10.0 / 30) < 1e-9, "over the 30 s watched of the 60 s window")
        let delivered = try #require(edges["deliver:\(Self.created):product.stock"])
        #expect(delivered.count == 10 && delivered.from == "broker" && delivered.to == "product" && delivered.consumer == "product.stock")
        let idle = try #require(edges["deliver:\(Self.created):notification.events"])
        #expect(idle.count == 0 && idle.expected, "an idle edge of the topology stays drawn")
        #expect(graph.edges.filter { !$0.expected }.isEmpty)
        #expect(graph.coveredSeconds == 30 && graph.oldest == 1000 && graph.newest == 1030)
    }

    @Test func aProcessThatRestartsAddsWhatItCountsAgain() throws {
        let accumulator = Accumulator()
        _ = accumulator.add(["order-1": Self.reading(orders: 8, stockHandled: 8)], health: [:], at: 1)
        // order-1 restarted: its counters began again at zero and now stand at 3.
        let after = accumulator.add(["order-1": Self.reading(orders: 3, stockHandled: 3)], health: [:], at: 2)
        #expect(after.edges[.publish(type: Self.created, service: "order")]?.count == 11)
        // A second instance's counts are added to the first's.
        let both = accumulator.add(
            ["order-1": Self.reading(orders: 4, stockHandled: 4), "order-2": Self.reading(orders: 2, stockHandled: 2)], health: [:], at: 3)
        #expect(both.edges[.publish(type: Self.created, service: "order")]?.count == 14)
    }

    @Test func nodesShowTheirInstancesHealthAndOutbox() throws {
        var reading = TrafficReading()
        reading.outboxDepth = ["order": 4]
        reading.deadLetters = ["order": 1]
        let snapshot = Accumulator().add(["order-1": reading, "order-2": reading], health: Self.healthy, at: 5)
        let graph = PlatformGraph(now: snapshot, earlier: nil, windowSeconds: 60, oldest: 5, newest: 5)
        let nodes = Dictionary(uniqueKeysWithValues: graph.nodes.map { ($0.id, $0) })
        let order = try #require(nodes["order"])
        #expect(order.health == "degraded" && order.instances?.ready == 1 && order.instances?.total == 2)
        #expect(order.outbox?.depth == 4 && order.deadLetters == 1, "instances sharing a database report it once")
        #expect(nodes["product"]?.health == "ready")
        #expect(nodes["broker"]?.health == nil && nodes["clients"]?.instances == nil)
        #expect(Set(graph.nodes.map(\.id)) == Set(["clients", "broker"] + Component.allCases.map(\.rawValue)), "every part of the seed's diagram")
    }

    @Test func aNodeNamesTheBreakersItsInstancesReportOpen() throws {
        let report = HealthReport(
            status: "degraded", component: "payment",
            checks: [
                "database": .ready("sqlite"), "circuit:order": .ready("closed"), "circuit:payment-gateway": .degraded("open"),
            ])
        #expect(InstanceHealth.openBreakers(in: report) == ["payment-gateway open"])
        let gateway = HealthReport(status: "degraded", component: "gateway", checks: ["circuits": .degraded("order@127.0.0.1:1 half-open")])
        #expect(InstanceHealth.openBreakers(in: gateway) == ["order@127.0.0.1:1 half-open"])
        #expect(InstanceHealth.openBreakers(in: HealthReport(status: "ready", component: "user", checks: ["database": .ready("ok")])) == nil)

        let health = [
            "payment": [
                InstanceHealth(url: "http://127.0.0.1:1", status: "degraded", openBreakers: ["payment-gateway open"]),
                InstanceHealth(url: "http://127.0.0.1:2", status: "ready"),
            ]
        ]
        let snapshot = Accumulator().add([:], health: health, at: 5)
        let nodes = PlatformGraph(now: snapshot, earlier: nil, windowSeconds: 60, oldest: 5, newest: 5).nodes
        #expect(nodes.first { $0.id == "payment" }?.openBreakers == ["payment-gateway open"])
        #expect(nodes.first { $0.id == "order" }?.openBreakers == nil)
    }

    @Test func trafficTheTopologyDoesNotDrawIsDrawnAsUnexpected() throws {
        var reading = TrafficReading()
        reading.edges[.call(from: "product", to: "shipping")] = EdgeTotal(count: 2)
        let snapshot = Accumulator().add(["p": reading], health: [:], at: 1)
        let graph = PlatformGraph(now: snapshot, earlier: nil, windowSeconds: 60, oldest: 1, newest: 1)
        #expect(graph.edges.filter { !$0.expected }.map(\.id) == ["call:product>shipping"])
    }

    @Test func theHistoryKeepsAnHourInBoundedMemory() throws {
        let history = TrafficHistory()
        let empty = TrafficSnapshot(at: 0, edges: [:], instances: [:], outboxDepth: [:], outboxOldestAge: [:], deadLetters: [:])
        for second in 0..<5000 {
            var snapshot = empty
            snapshot.at = Double(second)
            history.append(snapshot)
        }
        let span = try #require(history.span)
        #expect(span.newest == 4999)
        #expect(span.oldest >= 4999 - TrafficHistory.reach && span.oldest <= 4999 - TrafficHistory.reach + TrafficHistory.olderSpacing)
        #expect(history.snapshot(atOrBefore: 4500.5)?.at == 4500, "the last 15 minutes second by second")
        let older = try #require(history.snapshot(atOrBefore: 3000.5))
        #expect(older.at <= 3000.5 && older.at > 3000.5 - TrafficHistory.olderSpacing, "then every 10 seconds")
        #expect(history.snapshot(atOrBefore: 10)?.at == span.oldest, "before the reach: the oldest kept")
    }

    @Test func everyLiveStreamOfAWindowSendsTheGraphOfTheLatestLook() throws {
        let accumulator = Accumulator()
        let history = TrafficHistory()
        history.append(accumulator.add(["order-1": Self.reading(orders: 5, stockHandled: 5)], health: Self.healthy, at: 1000))
        let first = try #require(try history.liveGraphJSON(windowSeconds: 60))
        #expect(first.at == 1000 && first.json.contains(#""windowSeconds":60"#))
        #expect(try history.liveGraphJSON(windowSeconds: 60)?.json == first.json)
        history.append(accumulator.add(["order-1": Self.reading(orders: 15, stockHandled: 15)], health: Self.healthy, at: 1001))
        let next = try #require(try history.liveGraphJSON(windowSeconds: 60))
        #expect(next.at == 1001 && next.json != first.json, "a new look, a new graph")
        #expect(try history.liveGraphJSON(windowSeconds: 300)?.json.contains(#""windowSeconds":300"#) == true)
    }

    @Test func theGraphIsJSONTheConsolePageReads() throws {
        let snapshot = Accumulator().add(["o": Self.reading(orders: 1, stockHandled: 1)], health: Self.healthy, at: 1)
        let graph = PlatformGraph(now: snapshot, earlier: nil, windowSeconds: 300, oldest: 1, newest: 1)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(graph)) as? [String: Any]
        #expect(json?["windowSeconds"] as? Int == 300)
        let edge = (json?["edges"] as? [[String: Any]])?.first { $0["id"] as? String == "call:clients>gateway" }
        #expect(edge?["kind"] as? String == "call" && edge?["count"] as? Int == 0)
    }
}
