public import Hummingbird

/// The body of `/health/ready` and `/health/live`.
public struct HealthReport: ResponseCodable, Sendable, Equatable {
    /// `ready`/`unready` for readiness, `live` for liveness.
    public var status: String
    /// The component reporting.
    public var component: String
    /// Which instance of it, when it runs as one of several (distributed mode).
    public var instance: String?
    /// Each check by name.
    public var checks: [String: CheckResult]

    /// Creates a report.
    public init(status: String, component: String, instance: String? = nil, checks: [String: CheckResult]) {
        self.status = status
        self.component = component
        self.instance = instance
        self.checks = checks
    }
}

extension RouterMethods where Context == EmporiumRequestContext {
    /// Adds `/health/live` (the process answers) and `/health/ready` (every check passes; 503 otherwise).
    /// - Parameters:
    ///   - component: The name reported in the body.
    ///   - instance: The instance id reported in the body, if any.
    ///   - checks: What readiness depends on; run concurrently on each call.
    public func addHealthRoutes(component: String, instance: String? = nil, checks: [any ReadinessCheck]) {
        resource("/health/live") { routes in
            routes.get { _, _ in HealthReport(status: "live", component: component, instance: instance, checks: [:]) }
        }
        resource("/health/ready") { routes in
            routes.get { request, context in
                let results = await withTaskGroup(of: (String, CheckResult).self) { group in
                    for check in checks {
                        group.addTask { (check.name, await check.check()) }
                    }
                    var results: [String: CheckResult] = [:]
                    for await (name, result) in group { results[name] = result }
                    return results
                }
                // Degraded is still ready: the component serves, without what its open breakers guard.
                let ready = results.values.allSatisfy { $0.status != .unready }
                let degraded = results.values.contains { $0.status == .degraded }
                let report = HealthReport(
                    status: ready ? (degraded ? "degraded" : "ready") : "unready", component: component, instance: instance, checks: results
                )
                var response = try report.response(from: request, context: context)
                response.status = ready ? .ok : .serviceUnavailable
                response.headers[.cacheControl] = "no-store"
                return response
            }
        }
    }
}
