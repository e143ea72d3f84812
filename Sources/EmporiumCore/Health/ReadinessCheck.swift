/// One thing a component needs before it can serve: its database, an upstream, a broker.
public protocol ReadinessCheck: Sendable {
    /// The name it is reported under in `/health/ready`.
    var name: String { get }
    /// Checks now; never throws, so one failing check cannot hide the others.
    func check() async -> CheckResult
}

/// The outcome of a ``ReadinessCheck``.
public struct CheckResult: Codable, Sendable, Equatable {
    /// `ready`, `degraded` or `unready`.
    public var status: Status
    /// Why it is unready, or a fact worth showing (an upstream's address).
    public var detail: String?

    /// The states of a check.
    public enum Status: String, Codable, Sendable {
        /// The dependency works.
        case ready
        /// The component serves, without a dependency that is failing (an open circuit breaker).
        case degraded
        /// The dependency does not work now.
        case unready
    }

    /// A passing check.
    public static func ready(_ detail: String? = nil) -> CheckResult { CheckResult(status: .ready, detail: detail) }
    /// A check of something that fails while the component still serves.
    public static func degraded(_ detail: String) -> CheckResult { CheckResult(status: .degraded, detail: detail) }
    /// A failing check.
    public static func unready(_ detail: String) -> CheckResult { CheckResult(status: .unready, detail: detail) }
}
