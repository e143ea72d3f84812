/// How a component calls one dependency: through its circuit breaker, and — only when the call
/// is idempotent — again after a failure, with backoff and jitter. (Deadlines come from
/// ``OutboundHTTPClient``, on every call.)
public struct DependencyCaller: Sendable {
    /// The dependency's breaker, shared by every call to it.
    public let breaker: CircuitBreaker
    /// Attempts and backoff for idempotent calls.
    public let retry: RetryPolicy

    /// Creates a caller.
    public init(breaker: CircuitBreaker, retry: RetryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(50), maxDelay: .seconds(1))) {
        self.breaker = breaker
        self.retry = retry
    }

    /// Calls the dependency.
    /// - Parameters:
    ///   - idempotent: Whether repeating the call is harmless (a read, or a write with an
    ///     idempotency key); only then is a failed attempt repeated.
    ///   - isFailure: Whether an error means the dependency is failing (see ``CircuitBreaker/run(_:isFailure:)``).
    ///   - operation: One attempt.
    public func call<Result: Sendable>(
        idempotent: Bool,
        isFailure: (any Error) -> Bool = { _ in true },
        _ operation: () async throws -> Result
    ) async throws -> Result {
        var attempt = 1
        while true {
            do {
                return try await breaker.run(operation, isFailure: isFailure)
            } catch let open as CircuitOpen {
                throw open
            } catch {
                guard idempotent, isFailure(error), attempt < retry.maxAttempts else { throw error }
                try await Task.sleep(for: retry.delay(afterAttempt: attempt))
                attempt += 1
            }
        }
    }
}
