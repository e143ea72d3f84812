/// One instance's answer to `/health/ready`: `ready`, `degraded`, `unready`, or `down` when it
/// did not answer.
struct InstanceHealth: Sendable, Codable, Equatable {
    var url: String
    var status: String
}

/// The platform as the console saw it at one moment: every edge's totals since it started
/// watching, each instance's health, and the services' outbox and dead-letter gauges.
struct TrafficSnapshot: Sendable {
    /// When, in seconds since 1970.
    var at: Double
    var edges: [EdgeKey: EdgeTotal]
    /// By component (`order`): its instances' health.
    var instances: [String: [InstanceHealth]]
    var outboxDepth: [String: Double]
    var outboxOldestAge: [String: Double]
    var deadLetters: [String: Double]
}
