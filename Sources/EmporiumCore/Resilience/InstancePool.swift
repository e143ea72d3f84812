import Synchronization

/// The instances of one upstream or dependency, and which one the next call goes to: the one load
/// balancer of the platform, used by the gateway for each component behind it and by a service for
/// each dependency with several instances (ADR 20).
///
/// Calls go round robin over the instances that pass their active health check (where a probe
/// runs) and whose breaker is not open; if none does, to any whose breaker lets a call through;
/// failing that, to the next in turn, so that a caller always has somewhere to try. Each instance
/// has a breaker of its own: failures of that instance open it, which takes it out of the turn
/// (passive ejection) until its open time has passed.
///
/// Read on every call, so the turn is an atomic counter and the instances are fixed: a pick is a
/// few loads and comparisons, with no lock and no suspension.
public final class InstancePool: Sendable {
    /// The upstream's or dependency's name (`product`).
    public let name: String
    /// Its instances, in the order configured.
    public let instances: [BalancedInstance]
    private let turn = Atomic<Int>(0)

    /// Creates a pool.
    /// - Parameters:
    ///   - name: The upstream's name, which prefixes each instance's breaker (`product@127.0.0.1:8082`).
    ///   - baseURLs: Its instances' base URLs, without a trailing slash.
    ///   - ejection: When an instance's breaker opens, and for how long.
    public init(name: String, baseURLs: [String], ejection: CircuitBreaker.Settings) {
        self.name = name
        self.instances = baseURLs.map { BalancedInstance(upstream: name, baseURL: $0, ejection: ejection) }
    }

    /// The instance the next call goes to; nil only when the pool is empty.
    /// - Parameter avoiding: An instance that just failed, when another is wanted for a retry; it
    ///   is chosen only if it is the only one.
    public func pick(avoiding: BalancedInstance? = nil) -> BalancedInstance? {
        let count = instances.count
        guard count > 1 else { return instances.first }
        let start = turn.add(1, ordering: .relaxed).oldValue & Int.max
        var callable: BalancedInstance?
        var fallback: BalancedInstance?
        for offset in 0..<count {
            let instance = instances[(start + offset) % count]
            if instance === avoiding { continue }
            let open = instance.breaker.state == .open
            if !open && instance.isHealthy { return instance }
            if !open && callable == nil { callable = instance }
            if fallback == nil { fallback = instance }
        }
        return callable ?? fallback ?? avoiding
    }
}

/// One instance in an ``InstancePool``: its URL, its own breaker, and what the last active health
/// check said of it.
public final class BalancedInstance: Sendable {
    /// Its base URL.
    public let baseURL: String
    /// Its breaker: failures of this instance open it, and an open breaker takes it out of the turn.
    public let breaker: CircuitBreaker
    private let healthy = Atomic<Bool>(true)

    init(upstream: String, baseURL: String, ejection: CircuitBreaker.Settings) {
        self.baseURL = baseURL
        let address = baseURL.hasPrefix("http://") ? String(baseURL.dropFirst(7)) : baseURL
        breaker = CircuitBreaker(name: "\(upstream)@\(address)", settings: ejection)
    }

    /// Its name in logs and readiness: the upstream and the address (`product@127.0.0.1:8082`).
    public var name: String { breaker.name }

    /// Whether the last health check reached it (true where no probe runs).
    public var isHealthy: Bool { healthy.load(ordering: .relaxed) }

    /// Records what a health check found.
    public func setHealthy(_ value: Bool) {
        healthy.store(value, ordering: .relaxed)
    }
}
