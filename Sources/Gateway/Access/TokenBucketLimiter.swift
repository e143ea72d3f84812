import Synchronization

/// Token buckets, one per client key: each holds up to `burst` tokens and refills at `rate` per
/// second; a request takes one token or is refused with the time until the next.
///
/// A `Mutex` over a dictionary: a check is a lock, a hash and some arithmetic, on every request.
/// Full buckets carry no information, so they are dropped when the table grows, which bounds its
/// memory by the number of clients active within one refill period.
final class TokenBucketLimiter: Sendable {
    /// The outcome of a request for a token.
    enum Decision: Equatable {
        case allowed
        /// Refused; a token is available again after this many seconds (at least 1).
        case limited(retryAfterSeconds: Int)
    }

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let rate: Double
    let burst: Double
    private let maxTrackedClients: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    /// Creates a limiter.
    /// - Parameters:
    ///   - rate: Tokens added per second.
    ///   - burst: The most tokens a bucket holds.
    ///   - maxTrackedClients: When more buckets exist, full ones are dropped.
    init(rate: Double, burst: Int, maxTrackedClients: Int = 10_000) {
        self.rate = rate
        self.burst = Double(max(burst, 1))
        self.maxTrackedClients = maxTrackedClients
    }

    /// Takes a token from `key`'s bucket, if it has one.
    func take(_ key: String, now: ContinuousClock.Instant = .now) -> Decision {
        buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: burst, updated: now)
            let elapsed = Double((now - bucket.updated).components.attoseconds) / 1e18 + Double((now - bucket.updated).components.seconds)
            bucket.tokens = min(burst, bucket.tokens + max(0, elapsed) * rate)
            bucket.updated = now
            let decision: Decision
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                decision = .allowed
            } else {
                decision = .limited(retryAfterSeconds: max(1, Int(((1 - bucket.tokens) / rate).rounded(.up))))
            }
            buckets[key] = bucket
            if buckets.count > maxTrackedClients {
                buckets = buckets.filter { _, bucket in
                    let idle = now - bucket.updated
                    return bucket.tokens + (Double(idle.components.seconds) + Double(idle.components.attoseconds) / 1e18) * rate < burst
                }
            }
            return decision
        }
    }
}
