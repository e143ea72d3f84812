/// An edge of the platform's graph, as the metrics tell it apart.
enum EdgeKey: Hashable, Sendable, Comparable {
    /// Synchronous calls from `from` (a component, or `clients`) to `to`.
    case call(from: String, to: String)
    /// Events of `type` the outbox of `service` handed to the broker.
    case publish(type: String, service: String)
    /// Events of `type` the broker delivered to consumer group `group`.
    case delivery(type: String, group: String)

    /// Its id in the graph's JSON (`call:order>product`, `publish:emporium.order.created.v1:order`).
    var id: String {
        switch self {
        case .call(let from, let to): "call:\(from)>\(to)"
        case .publish(let type, let service): "publish:\(type):\(service)"
        case .delivery(let type, let group): "deliver:\(type):\(group)"
        }
    }

    static func < (lhs: EdgeKey, rhs: EdgeKey) -> Bool { lhs.id < rhs.id }
}

/// What was measured on one edge: how many calls or events, how many failed, and how long the
/// calls took (a cumulative histogram, as Prometheus keeps it). Totals only grow, so the traffic
/// of a window is the difference of two totals.
struct EdgeTotal: Sendable, Equatable {
    /// The histogram's upper bounds in seconds: those of every timer on the platform (swift-prometheus'
    /// defaults). A series with other bounds is counted under the next bound up.
    static let bounds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, .infinity]

    /// Calls made, or events delivered (each attempt at handling one).
    var count: Double = 0
    /// Calls answered with a 5xx or not at all; handling attempts that failed.
    var errors: Double = 0
    /// For each of ``bounds``, the calls that took at most that long (all zero for events).
    var buckets = [Double](repeating: 0, count: EdgeTotal.bounds.count)

    mutating func add(_ other: EdgeTotal) {
        count += other.count
        errors += other.errors
        for index in buckets.indices { buckets[index] += other.buckets[index] }
    }

    /// Adds `calls` to the bucket of upper bound `bound`.
    mutating func addToBucket(_ bound: Double, _ calls: Double) {
        let index = Self.bounds.firstIndex { $0 >= bound } ?? Self.bounds.count - 1
        buckets[index] += calls
    }

    /// What happened after `earlier`.
    func since(_ earlier: EdgeTotal) -> EdgeTotal {
        var delta = EdgeTotal(count: count - earlier.count, errors: errors - earlier.errors)
        for index in buckets.indices { delta.buckets[index] = buckets[index] - earlier.buckets[index] }
        return delta
    }

    /// Whether `self` can follow `earlier` from the same process: no figure went down (a process
    /// that restarted starts its counters again from zero).
    func follows(_ earlier: EdgeTotal) -> Bool {
        count >= earlier.count && errors >= earlier.errors && zip(buckets, earlier.buckets).allSatisfy { $0 >= $1 }
    }

    /// The 95th percentile of the calls' durations, interpolated within its bucket as
    /// Prometheus' `histogram_quantile` does; nil without timed calls.
    var p95Seconds: Double? { quantile(0.95) }

    func quantile(_ q: Double) -> Double? {
        guard let total = buckets.last, total > 0 else { return nil }
        let rank = q * total
        var lowerBound = 0.0
        var below = 0.0
        for (bound, reported) in zip(Self.bounds, buckets) {
            // A bound a series did not report holds what the bounds below it hold.
            let upTo = max(reported, below)
            if upTo >= rank {
                // The top bucket has no upper edge to interpolate towards: its lower edge is the answer.
                if bound == .infinity { return lowerBound }
                let inBucket = upTo - below
                return inBucket > 0 ? lowerBound + (bound - lowerBound) * (rank - below) / inBucket : bound
            }
            lowerBound = bound
            below = upTo
        }
        return lowerBound
    }
}

/// What one process's `/metrics` says about the graph: every edge's totals, and the services'
/// outbox and dead-letter gauges.
struct TrafficReading: Sendable, Equatable {
    var edges: [EdgeKey: EdgeTotal] = [:]
    /// Outbox rows waiting, by service.
    var outboxDepth: [String: Double] = [:]
    /// Age of the oldest waiting outbox row, by service.
    var outboxOldestAge: [String: Double] = [:]
    /// Dead letters waiting, by service (every consumer group of it together).
    var deadLetters: [String: Double] = [:]
    /// Events the broker holds for the service's consumer groups, not yet acknowledged, by service.
    var consumerLag: [String: Double] = [:]

    /// The prefix of every metric the console reads.
    static let metricPrefix = "emporium_"

    /// Reads the platform's metrics out of `samples`.
    init(samples: [PrometheusSample]) {
        var deadLettersByConsumer: [String: Double] = [:]
        var lagByConsumer: [String: Double] = [:]
        for sample in samples {
            let labels = sample.labels
            switch sample.name {
            case "emporium_http_client_requests_total":
                guard let from = labels["component"], let to = labels["peer"] else { continue }
                edges[.call(from: from, to: to), default: EdgeTotal()].count(sample.value, failed: Self.isFailure(labels["status"]))
            case "emporium_http_client_request_duration_seconds_bucket":
                guard let from = labels["component"], let to = labels["peer"], let bound = labels["le"].flatMap(Self.bound) else { continue }
                edges[.call(from: from, to: to), default: EdgeTotal()].addToBucket(bound, sample.value)
            case "emporium_http_requests_total":
                // What the gateway answers is what its clients send; the probes and scrapes of
                // operators (this console's among them) are not the shop's traffic.
                guard labels["component"] == "gateway", !Self.isOperatorRoute(labels["route"]) else { continue }
                edges[Self.clientCalls, default: EdgeTotal()].count(sample.value, failed: Self.isFailure(labels["status"]))
            case "emporium_http_request_duration_seconds_bucket":
                guard labels["component"] == "gateway", !Self.isOperatorRoute(labels["route"]), let bound = labels["le"].flatMap(Self.bound)
                else { continue }
                edges[Self.clientCalls, default: EdgeTotal()].addToBucket(bound, sample.value)
            case "emporium_events_published_total":
                guard let service = labels["service"], let type = labels["type"] else { continue }
                edges[.publish(type: type, service: service), default: EdgeTotal()].count += sample.value
            case "emporium_events_handled_total", "emporium_events_retried_total", "emporium_events_dead_lettered_total":
                guard let group = labels["consumer"], let type = labels["type"] else { continue }
                edges[.delivery(type: type, group: group), default: EdgeTotal()]
                    .count(sample.value, failed: sample.name != "emporium_events_handled_total")
            case "emporium_outbox_depth":
                if let service = labels["service"] { outboxDepth[service] = sample.value }
            case "emporium_outbox_oldest_age_seconds":
                if let service = labels["service"] { outboxOldestAge[service] = sample.value }
            case "emporium_dead_letters_waiting":
                if let consumer = labels["consumer"] { deadLettersByConsumer[consumer] = sample.value }
            case "emporium_consumer_lag":
                if let consumer = labels["consumer"] { lagByConsumer[consumer] = sample.value }
            default:
                continue
            }
        }
        for (consumer, waiting) in deadLettersByConsumer {
            deadLetters[Self.service(ofConsumer: consumer), default: 0] += waiting
        }
        for (consumer, lag) in lagByConsumer {
            consumerLag[Self.service(ofConsumer: consumer), default: 0] += lag
        }
    }

    init() {}

    /// The edge from the clients to the gateway.
    static let clientCalls = EdgeKey.call(from: "clients", to: "gateway")

    /// A consumer group's service: the part of its name before the first dot (`product.stock`).
    static func service(ofConsumer consumer: String) -> String {
        String(consumer.prefix { $0 != "." })
    }

    static func isFailure(_ status: String?) -> Bool {
        guard let status else { return false }
        return status == "error" || (Int(status) ?? 0) >= 500
    }

    static func isOperatorRoute(_ route: String?) -> Bool {
        guard let route else { return false }
        return route == "/metrics" || route.hasPrefix("/health/")
    }

    static func bound(_ text: String) -> Double? {
        text == "+Inf" ? .infinity : Double(text)
    }
}

extension EdgeTotal {
    fileprivate mutating func count(_ value: Double, failed: Bool) {
        count += value
        if failed { errors += value }
    }
}
