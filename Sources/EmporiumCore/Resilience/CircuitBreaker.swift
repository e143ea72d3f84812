import HTTPTypes
import Synchronization

/// Stops calling a dependency that keeps failing, so that callers fail fast with a clear 503
/// instead of each waiting out a timeout, and the dependency gets room to recover.
///
/// Closed: calls go through; `failureThreshold` counted failures in a row open it. Open: calls
/// are refused with ``CircuitOpen`` until `openDuration` has passed. Half-open: one trial call goes
/// through; its success closes the breaker, its failure opens it again. Its state shows in the
/// component's `/health/ready` through ``readinessCheck``.
public final class CircuitBreaker: Sendable {
    /// The three states.
    public enum State: String, Sendable {
        case closed, open
        case halfOpen = "half-open"
    }

    /// When to open and for how long.
    public struct Settings: Sendable, Equatable {
        /// Counted failures in a row that open the breaker.
        public var failureThreshold: Int
        /// How long it stays open before a trial call.
        public var openDuration: Duration
        /// The longest it stays open: each time it opens again without a success in between, it
        /// stays open twice as long as the time before, up to this. Equal to `openDuration`, the
        /// default, it always stays open for `openDuration`.
        public var maxOpenDuration: Duration

        /// Creates settings.
        public init(failureThreshold: Int = 5, openDuration: Duration = .seconds(10), maxOpenDuration: Duration? = nil) {
            self.failureThreshold = failureThreshold
            self.openDuration = openDuration
            self.maxOpenDuration = max(openDuration, maxOpenDuration ?? openDuration)
        }
    }

    private struct Inner {
        var state: State = .closed
        var failures = 0
        var openUntil: ContinuousClock.Instant?
        var trialInFlight = false
        /// Times opened since the last success.
        var openings = 0
    }

    /// The dependency's name (`payment-gateway`), in problems, logs and readiness.
    public let name: String
    /// When it opens and for how long.
    public let settings: Settings
    private let inner = Mutex(Inner())
    private let now: @Sendable () -> ContinuousClock.Instant

    /// Creates a closed breaker.
    public init(name: String, settings: Settings = Settings(), now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }) {
        self.name = name
        self.settings = settings
        self.now = now
    }

    /// The current state (an open breaker past its duration reads as half-open).
    public var state: State {
        inner.withLock { inner in
            if inner.state == .open, let until = inner.openUntil, now() >= until { return .halfOpen }
            return inner.state
        }
    }

    /// Runs `operation` unless the breaker is open.
    /// - Parameters:
    ///   - operation: The call to the dependency.
    ///   - isFailure: Whether an error it throws says the dependency is failing (a timeout, a 5xx)
    ///     rather than that the request was wrong (a 4xx, which counts as the dependency working).
    /// - Throws: ``CircuitOpen`` without calling, or what `operation` throws.
    public func run<Result: Sendable>(
        _ operation: () async throws -> Result,
        isFailure: (any Error) -> Bool = { _ in true }
    ) async throws -> Result {
        try admit()
        do {
            let result = try await operation()
            record(failed: false)
            return result
        } catch {
            record(failed: isFailure(error))
            throw error
        }
    }

    /// Lets one call through, or refuses it while the breaker is open; the caller then reports
    /// how it went with ``record(failed:)`` (the gateway's forwarder, which cannot wrap its call
    /// in ``run(_:isFailure:)``).
    package func admit() throws(CircuitOpen) {
        let refusal: Duration? = inner.withLock { inner in
            switch inner.state {
            case .closed:
                return nil
            case .open:
                let now = now()
                if let until = inner.openUntil, now < until { return until - now }
                inner.state = .halfOpen
                inner.trialInFlight = true
                return nil
            case .halfOpen:
                if inner.trialInFlight { return settings.openDuration }
                inner.trialInFlight = true
                return nil
            }
        }
        if let refusal { throw CircuitOpen(dependency: name, retryAfter: refusal) }
    }

    /// Records how a call that did not go through ``run(_:isFailure:)`` went: for a breaker used
    /// to eject an instance of several (``InstancePool``), which is still called when every
    /// instance is ejected.
    package func record(failed: Bool) {
        inner.withLock { inner in
            inner.trialInFlight = false
            guard failed else {
                inner.state = .closed
                inner.failures = 0
                inner.openUntil = nil
                inner.openings = 0
                return
            }
            inner.failures += 1
            if inner.state == .halfOpen || inner.failures >= settings.failureThreshold {
                inner.state = .open
                let doubled = settings.openDuration * (1 << min(inner.openings, 20))
                inner.openUntil = now() + min(doubled, settings.maxOpenDuration)
                inner.openings += 1
            }
        }
    }

    /// A readiness check showing the breaker's state: an open breaker does not make the component
    /// unready (it still serves what does not need the dependency), it shows as `degraded`.
    public var readinessCheck: any ReadinessCheck { CircuitBreakerCheck(breaker: self) }
}

/// A call refused because its dependency's circuit breaker is open.
public struct CircuitOpen: Error, Sendable, Equatable {
    /// The dependency.
    public var dependency: String
    /// How long until a trial call is let through.
    public var retryAfter: Duration

    /// Creates the refusal.
    public init(dependency: String, retryAfter: Duration) {
        self.dependency = dependency
        self.retryAfter = retryAfter
    }

    /// The 503 problem a client gets.
    public var problem: Problem {
        let seconds = max(1, Int(retryAfter.components.seconds) + (retryAfter.components.attoseconds > 0 ? 1 : 0))
        return Problem(
            .serviceUnavailable,
            detail: "\(dependency) is failing; calls to it are paused for \(seconds) s.",
            headers: [.retryAfter: String(seconds)]
        )
    }
}

struct CircuitBreakerCheck: ReadinessCheck {
    let breaker: CircuitBreaker
    var name: String { "circuit:\(breaker.name)" }

    func check() async -> CheckResult {
        let state = breaker.state
        return state == .closed ? .ready("closed") : .degraded(state.rawValue)
    }
}
