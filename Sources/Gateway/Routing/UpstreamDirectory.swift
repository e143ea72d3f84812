public import Contracts
public import EmporiumCore
import Synchronization

/// Where each upstream component's instances can be reached right now, each component's an
/// ``InstancePool`` with the gateway's ejection (three failures in a row take an instance out
/// for five seconds) and the active health checks of ``UpstreamHealthProbe``.
///
/// Instances are replaced whole when a component registers (the embedded platform as each
/// component binds, `emporium serve gateway` from its configuration), so the lock guards only
/// which pool is current: picking happens in the pool, without it.
public final class UpstreamDirectory: Sendable {
    /// How the gateway ejects a failing instance: another instance can take the traffic, so quickly.
    static let ejection = CircuitBreaker.Settings(failureThreshold: 3, openDuration: .seconds(5))

    private let pools: Mutex<[Component: InstancePool]>

    /// Creates a directory that starts with one instance per component of `baseURLs`.
    public init(_ baseURLs: [Component: String] = [:]) {
        var pools: [Component: InstancePool] = [:]
        for (component, url) in baseURLs { pools[component] = InstancePool(name: component.rawValue, baseURLs: [url], ejection: Self.ejection) }
        self.pools = Mutex(pools)
    }

    /// Records that `component` listens at `baseURL` (`http://127.0.0.1:8082`), its only instance.
    public func register(_ component: Component, baseURL: String) {
        register(component, baseURLs: [baseURL])
    }

    /// Records the instances of `component`, replacing those known before.
    public func register(_ component: Component, baseURLs: [String]) {
        let pool = InstancePool(name: component.rawValue, baseURLs: baseURLs, ejection: Self.ejection)
        pools.withLock { $0[component] = pool }
    }

    /// The base URL of the first instance of `component`, if any (for clients that need one).
    public func baseURL(of component: Component) -> String? {
        pool(of: component)?.instances.first?.baseURL
    }

    /// Every instance of `component`.
    public func instances(of component: Component) -> [BalancedInstance] {
        pool(of: component)?.instances ?? []
    }

    /// Every instance of every component.
    public var allInstances: [BalancedInstance] {
        pools.withLock { $0.values.flatMap(\.instances) }
    }

    /// The instance the next request to `component` goes to (``InstancePool/pick(avoiding:)``);
    /// nil when it has no instance.
    func pick(_ component: Component, avoiding: BalancedInstance? = nil) -> BalancedInstance? {
        pool(of: component)?.pick(avoiding: avoiding)
    }

    private func pool(of component: Component) -> InstancePool? {
        pools.withLock { $0[component] }
    }
}
