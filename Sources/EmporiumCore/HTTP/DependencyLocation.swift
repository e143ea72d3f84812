import HTTPTypes
import Synchronization

/// Where a component or external system that a service calls is: its instances, configured up
/// front in the distributed mode, or one known only once the embedded platform has bound its port.
///
/// The instances are an ``InstancePool`` with the ejection of a service's dependency: an instance
/// whose call failed (unreachable, timed out or a 5xx) is skipped for `restAfterFailure`, doubled
/// for each further failure in a row up to 30 s, then tried again by the next call that comes to
/// its turn; a success ends its rest. So one dead instance of two costs about one failed attempt
/// per rest, not every other call. When every instance rests, one is called anyway.
public struct DependencyLocation: Sendable {
    /// The dependency's name, for problems and logs (`product`, `shipping`).
    public let name: String
    private let pool: @Sendable () -> InstancePool?

    private init(name: String, pool: @escaping @Sendable () -> InstancePool?) {
        self.name = name
        self.pool = pool
    }

    /// How an instance of a dependency is ejected after failures.
    static func ejection(restAfterFailure: Duration) -> CircuitBreaker.Settings {
        CircuitBreaker.Settings(failureThreshold: 1, openDuration: restAfterFailure, maxOpenDuration: .seconds(30))
    }

    /// A dependency at a known URL (`http://127.0.0.1:8082`).
    public static func fixed(_ name: String, url: String) -> DependencyLocation {
        fixed(name, urls: [url])
    }

    /// A dependency with several instances, taken in turn call by call and attempt by attempt, so
    /// that a retried call goes to another instance.
    /// - Precondition: `urls` is not empty.
    public static func fixed(_ name: String, urls: [String], restAfterFailure: Duration = .seconds(1)) -> DependencyLocation {
        precondition(!urls.isEmpty, "a dependency needs at least one URL")
        let pool = InstancePool(name: name, baseURLs: urls.map(Self.trimmed), ejection: ejection(restAfterFailure: restAfterFailure))
        return DependencyLocation(name: name) { pool }
    }

    /// A dependency whose URL becomes known later; `resolve` returns nil until then.
    public static func deferred(_ name: String, _ resolve: @escaping @Sendable () -> String?) -> DependencyLocation {
        let known = Mutex<InstancePool?>(nil)
        return DependencyLocation(name: name) {
            guard let url = resolve().map(Self.trimmed) else { return nil }
            return known.withLock { known in
                if known?.instances.first?.baseURL != url {
                    known = InstancePool(name: name, baseURLs: [url], ejection: ejection(restAfterFailure: .seconds(1)))
                }
                return known
            }
        }
    }

    /// The instance the next attempt goes to.
    /// - Parameter avoiding: The instance the previous attempt failed on, if any.
    /// - Throws: a 503 ``Problem`` while the dependency's URL is not known.
    public func instance(avoiding: BalancedInstance? = nil) throws -> BalancedInstance {
        guard let instance = pool()?.pick(avoiding: avoiding) else {
            throw Problem(.serviceUnavailable, detail: "\(name) has not started yet.", headers: [.retryAfter: "1"])
        }
        return instance
    }

    private static func trimmed(_ url: String) -> String {
        url.hasSuffix("/") ? String(url.dropLast()) : url
    }
}
