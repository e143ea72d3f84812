import EmporiumCore

/// The circuit breakers of the upstream instances, in `/health/ready`: degraded while any is
/// open or half-open (that instance is out of the rotation), naming them.
struct InstanceBreakersCheck: ReadinessCheck {
    let directory: UpstreamDirectory
    var name: String { "circuits" }

    func check() async -> CheckResult {
        let tripped = directory.allInstances.filter { $0.breaker.state != .closed }.map { "\($0.name) \($0.breaker.state.rawValue)" }.sorted()
        return tripped.isEmpty ? .ready("all closed") : .degraded(tripped.joined(separator: ", "))
    }
}
