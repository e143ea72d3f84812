import EmporiumCore

/// One instance's answer to `/health/ready`: `ready`, `degraded`, `unready`, or `down` when it
/// did not answer.
struct InstanceHealth: Sendable, Codable, Equatable {
    var url: String
    var status: String
    /// The circuit breakers its readiness reports not closed (`payment-gateway open`); nil when none.
    var openBreakers: [String]? = nil

    /// The breakers a readiness report names not closed: its `circuit:<dependency>` checks, and the
    /// gateway's `circuits` check, which lists its tripped instances itself.
    static func openBreakers(in report: HealthReport) -> [String]? {
        let open = report.checks.compactMap { name, result -> String? in
            guard result.status != .ready else { return nil }
            if name.hasPrefix("circuit:") { return "\(name.dropFirst("circuit:".count)) \(result.detail ?? "open")" }
            return name == "circuits" ? result.detail : nil
        }.sorted()
        return open.isEmpty ? nil : open
    }
}

/// The platform as the console saw it at one moment: every edge's totals since it started
/// watching, each instance's health, and the services' outbox, dead-letter and lag gauges.
struct TrafficSnapshot: Sendable {
    /// When, in seconds since 1970.
    var at: Double
    var edges: [EdgeKey: EdgeTotal]
    /// By component (`order`): its instances' health.
    var instances: [String: [InstanceHealth]]
    var outboxDepth: [String: Double]
    var outboxOldestAge: [String: Double]
    var deadLetters: [String: Double]
    /// By service: its consumer groups' lag together.
    var consumerLag: [String: Double] = [:]
}
