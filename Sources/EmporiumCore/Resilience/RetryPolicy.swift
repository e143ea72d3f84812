/// How a failed attempt is retried: exponential backoff with full jitter, up to a bound.
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts before giving up (for a consumer: before the message becomes a dead letter).
    public var maxAttempts: Int
    /// The delay ceiling after the first failure.
    public var baseDelay: Duration
    /// The longest delay.
    public var maxDelay: Duration

    /// Creates a policy.
    public init(maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(200), maxDelay: Duration = .seconds(30)) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
    }

    /// The relay's policy: it never gives up (events must not be lost), it only slows down.
    public static let relay = RetryPolicy(maxAttempts: .max, baseDelay: .milliseconds(100), maxDelay: .seconds(10))

    /// A consumer's policy when it cannot fetch: like the relay's, but back within 2 s of the
    /// broker's return, so that an outage does not leave events waiting long after it ends.
    public static let consumerFetch = RetryPolicy(maxAttempts: .max, baseDelay: .milliseconds(100), maxDelay: .seconds(2))

    /// The delay after failed attempt `attempt` (1-based): uniformly random in
    /// [0, min(maxDelay, baseDelay × 2^(attempt-1))], so that many retrying clients spread out.
    public func delay(afterAttempt attempt: Int) -> Duration {
        let exponent = min(max(attempt - 1, 0), 30)
        let ceiling = min(maxDelay, baseDelay * (1 << exponent))
        let ceilingNanoseconds = max(ceiling.nanoseconds, 1)
        return .nanoseconds(Int64.random(in: 0...ceilingNanoseconds))
    }
}
