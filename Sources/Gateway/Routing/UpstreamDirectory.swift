public import EmporiumCore
import Synchronization

/// Where each upstream component's instances can be reached right now, and which to send the
/// next request to.
///
/// Read on every forwarded request, so it is a `Mutex` over small arrays rather than an actor: a
/// pick is a lock and a few comparisons, with no suspension.
public final class UpstreamDirectory: Sendable {
    private struct Pool {
        var instances: [UpstreamInstance] = []
        var next = 0
    }

    private let pools: Mutex<[Component: Pool]>

    /// Creates a directory that starts with one instance per component of `baseURLs`.
    public init(_ baseURLs: [Component: String] = [:]) {
        var pools: [Component: Pool] = [:]
        for (component, url) in baseURLs { pools[component] = Pool(instances: [UpstreamInstance(component: component, baseURL: url)]) }
        self.pools = Mutex(pools)
    }

    /// Records that `component` listens at `baseURL` (`http://127.0.0.1:8082`), its only instance.
    public func register(_ component: Component, baseURL: String) {
        register(component, baseURLs: [baseURL])
    }

    /// Records the instances of `component`, replacing those known before.
    public func register(_ component: Component, baseURLs: [String]) {
        let instances = baseURLs.map { UpstreamInstance(component: component, baseURL: $0) }
        pools.withLock { $0[component] = Pool(instances: instances) }
    }

    /// The base URL of the first instance of `component`, if any (for clients that need one).
    public func baseURL(of component: Component) -> String? {
        pools.withLock { $0[component]?.instances.first?.baseURL }
    }

    /// Every instance of `component`.
    public func instances(of component: Component) -> [UpstreamInstance] {
        pools.withLock { $0[component]?.instances ?? [] }
    }

    /// Every instance of every component.
    public var allInstances: [UpstreamInstance] {
        pools.withLock { $0.values.flatMap(\.instances) }
    }

    /// The instance the next request to `component` goes to: round robin over the instances that
    /// pass their health checks and whose breaker is not open (passive ejection); if none does,
    /// any whose breaker lets a call through; nil when there is no instance at all.
    /// - Parameter avoiding: An instance that just failed, when another is wanted for a retry.
    func pick(_ component: Component, avoiding: UpstreamInstance? = nil) -> UpstreamInstance? {
        pools.withLock { pools -> UpstreamInstance? in
            guard var pool = pools[component], !pool.instances.isEmpty else { return nil }
            let count = pool.instances.count
            let order = (0..<count).map { pool.instances[(pool.next + $0) % count] }.filter { $0 !== avoiding }
            let chosen = order.first { $0.isHealthy && $0.breaker.state != .open } ?? order.first { $0.breaker.state != .open } ?? order.first
            if let chosen, let index = pool.instances.firstIndex(where: { $0 === chosen }) { pool.next = (index + 1) % count }
            pools[component] = pool
            return chosen
        }
    }
}

/// One instance of an upstream component: its URL, its own circuit breaker, and what the last
/// active health check said of it.
public final class UpstreamInstance: Sendable {
    /// The component it is an instance of.
    public let component: Component
    /// Its base URL.
    public let baseURL: String
    /// Its breaker: failures of this instance open it, and an open breaker takes it out of the rotation.
    public let breaker: CircuitBreaker
    private let healthy = Atomic<Bool>(true)

    init(component: Component, baseURL: String) {
        self.component = component
        self.baseURL = baseURL
        // Eject quickly: another instance can take the traffic.
        let address = baseURL.hasPrefix("http://") ? String(baseURL.dropFirst(7)) : baseURL
        breaker = CircuitBreaker(name: "\(component.rawValue)@\(address)", settings: .init(failureThreshold: 3, openDuration: .seconds(5)))
    }

    /// Whether the last health check reached it.
    public var isHealthy: Bool { healthy.load(ordering: .relaxed) }

    func setHealthy(_ value: Bool) {
        healthy.store(value, ordering: .relaxed)
    }
}
