import Contracts
import Foundation
import Hummingbird
import Synchronization

/// The console's graph at one moment over one window, as its page draws it and `GET
/// /console/graph` answers it: every node of the seed's diagram with its health, every edge the
/// topology draws (``PlatformTopology``) and every other the metrics showed, each with its traffic
/// in the window.
struct PlatformGraph: ResponseEncodable, Sendable, Equatable {
    /// A node: a component, the clients or the broker.
    struct Node: Codable, Sendable, Equatable {
        var id: String
        var label: String
        /// `clients`, `gateway`, `service`, `web`, `broker` or `external`.
        var kind: String
        var x: Double
        var y: Double
        /// `ready`, `degraded`, `unready` or `down`; nil for the clients and the broker.
        var health: String?
        /// Instances answering ready, and all it has; nil for the clients and the broker.
        var instances: Instances?
        /// A service's outbox; nil for other nodes.
        var outbox: Outbox?
        /// A service's dead letters waiting; nil for other nodes.
        var deadLetters: Int?
        /// The events the broker holds for a service's consumer groups, not yet acknowledged; nil for other nodes.
        var consumerLag: Int?
        /// The circuit breakers its instances report not closed (`payment-gateway open`); nil when none.
        var openBreakers: [String]?
    }

    /// A component's instances.
    struct Instances: Codable, Sendable, Equatable {
        var ready: Int
        var total: Int
        var each: [InstanceHealth]
    }

    /// What waits in a service's outbox.
    struct Outbox: Codable, Sendable, Equatable {
        var depth: Int
        var oldestAgeSeconds: Double
    }

    /// An edge: blue synchronous calls, or one event type's orange leg from its publisher to the
    /// broker or from the broker to a consumer group.
    struct Edge: Codable, Sendable, Equatable {
        var id: String
        /// `call` or `event`.
        var kind: String
        var from: String
        var to: String
        /// The event type, for an event's leg.
        var eventType: String?
        /// Its short name, as the seed names events (`OrderCreated`).
        var event: String?
        /// The consumer group, for a leg from the broker.
        var consumer: String?
        /// Calls made, or events delivered (attempts), in the window.
        var count: Int
        /// Of which failed.
        var errors: Int
        /// Calls or events since the console started watching, whatever the window: the
        /// difference of two graphs' totals is exactly the traffic between them.
        var total: Int
        var ratePerSecond: Double
        /// `errors / count`, 0 without traffic.
        var errorShare: Double
        /// The calls' 95th percentile in milliseconds; nil for events and idle edges.
        var p95Milliseconds: Double?
        /// False for an edge the topology does not draw, seen in the metrics.
        var expected: Bool
    }

    /// When, in seconds since 1970.
    var at: Double
    /// The window asked for, in seconds.
    var windowSeconds: Int
    /// The seconds the window's figures cover: less than the window while the console has
    /// watched for less.
    var coveredSeconds: Double
    /// The span replay reaches: the oldest and newest moments kept.
    var oldest: Double
    var newest: Double
    var nodes: [Node]
    var edges: [Edge]

    /// The windows a user picks from, in seconds.
    static let windows = [60, 300, 900]

    /// The graph at `now`'s moment, with the traffic since `earlier` (nil: since the console started).
    init(now: TrafficSnapshot, earlier: TrafficSnapshot?, windowSeconds: Int, oldest: Double, newest: Double) {
        at = now.at
        self.windowSeconds = windowSeconds
        coveredSeconds = earlier.map { now.at - $0.at } ?? 0
        self.oldest = oldest
        self.newest = newest
        nodes = DiagramLayout.places.map { place in Self.node(place, in: now) }
        let rateSpan = max(coveredSeconds, 1)
        edges = Self.keys(in: now).map { key, expected in
            let total = now.edges[key] ?? EdgeTotal()
            let traffic = earlier.map { total.since($0.edges[key] ?? EdgeTotal()) } ?? EdgeTotal()
            return Self.edge(key, traffic: traffic, total: total.count, rateSpan: rateSpan, expected: expected)
        }
    }

    /// The topology's edges, then any other the metrics showed.
    private static func keys(in snapshot: TrafficSnapshot) -> [(EdgeKey, Bool)] {
        var expected: [EdgeKey] = PlatformTopology.calls.map { .call(from: $0.from.description, to: $0.to.rawValue) }
        for route in PlatformTopology.events {
            expected.append(.publish(type: route.type, service: route.publisher.rawValue))
            expected += route.consumers.map { .delivery(type: route.type, group: $0.name) }
        }
        let known = Set(expected)
        let seen = snapshot.edges.keys.filter { !known.contains($0) }.sorted()
        return expected.map { ($0, true) } + seen.map { ($0, false) }
    }

    private static func edge(_ key: EdgeKey, traffic: EdgeTotal, total: Double, rateSpan: Double, expected: Bool) -> Edge {
        let count = Int(traffic.count.rounded())
        let errors = Int(traffic.errors.rounded())
        var edge = Edge(
            id: key.id, kind: "call", from: "", to: "", count: count, errors: errors, total: Int(total.rounded()),
            ratePerSecond: traffic.count / rateSpan,
            errorShare: count > 0 ? Double(errors) / Double(count) : 0, p95Milliseconds: traffic.p95Seconds.map { $0 * 1000 },
            expected: expected)
        switch key {
        case .call(let from, let to):
            (edge.from, edge.to) = (from, to)
        case .publish(let type, let service):
            (edge.kind, edge.from, edge.to, edge.eventType) = ("event", service, "broker", type)
        case .delivery(let type, let group):
            (edge.kind, edge.from, edge.to, edge.eventType, edge.consumer) = (
                "event", "broker", TrafficReading.service(ofConsumer: group), type, group
            )
        }
        edge.event = edge.eventType.map(PlatformTopology.shortName)
        return edge
    }

    private static func node(_ place: DiagramLayout.Place, in snapshot: TrafficSnapshot) -> Node {
        var node = Node(id: place.id, label: place.label, kind: place.kind, x: place.x, y: place.y)
        guard let each = snapshot.instances[place.id] else { return node }
        let ready = each.filter { $0.status == "ready" || $0.status == "degraded" }.count
        node.instances = Instances(ready: ready, total: each.count, each: each)
        node.health =
            each.isEmpty
            ? "down"
            : each.allSatisfy({ $0.status == "ready" })
                ? "ready"
                : ready > 0
                    ? "degraded"
                    : each.contains { $0.status == "unready" } ? "unready" : "down"
        let breakers = Set(each.flatMap { $0.openBreakers ?? [] }).sorted()
        node.openBreakers = breakers.isEmpty ? nil : breakers
        if place.kind == "service" {
            node.outbox = Outbox(
                depth: Int(snapshot.outboxDepth[place.id] ?? 0), oldestAgeSeconds: snapshot.outboxOldestAge[place.id] ?? 0)
            node.deadLetters = Int(snapshot.deadLetters[place.id] ?? 0)
            node.consumerLag = Int(snapshot.consumerLag[place.id] ?? 0)
        }
        return node
    }
}

extension TrafficHistory {
    /// The newest graph of a window as JSON, and the time of its look: built and encoded once per
    /// look, for every live stream of that window.
    func liveGraphJSON(windowSeconds: Int) throws -> (at: Double, json: String)? {
        guard let newest = latest?.at else { return nil }
        if let cached = liveGraphs.withLock({ $0[windowSeconds] }), cached.at == newest { return cached }
        guard let graph = graph(windowSeconds: windowSeconds) else { return nil }
        let made = (at: graph.at, json: String(decoding: try JSONEncoder().encode(graph), as: UTF8.self))
        liveGraphs.withLock { $0[windowSeconds] = made }
        return made
    }

    /// The graph at `time` (nil: now) over the last `windowSeconds`; nil before the first look.
    func graph(at time: Double? = nil, windowSeconds: Int) -> PlatformGraph? {
        guard let span, let now = time.map({ snapshot(atOrBefore: $0) }) ?? latest else { return nil }
        let start = snapshot(atOrBefore: now.at - Double(windowSeconds))
        return PlatformGraph(
            now: now, earlier: start.flatMap { $0.at < now.at ? $0 : nil }, windowSeconds: windowSeconds, oldest: span.oldest,
            newest: span.newest)
    }
}
