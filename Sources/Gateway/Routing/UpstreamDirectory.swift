public import EmporiumCore
import Synchronization

/// Where each upstream component can be reached right now.
///
/// Read on every forwarded request, so it is a `Mutex` over a small dictionary rather than an
/// actor: a lookup is a lock and a hash, with no suspension.
public final class UpstreamDirectory: Sendable {
    private let baseURLs: Mutex<[Component: String]>

    /// Creates a directory that starts with `baseURLs`.
    public init(_ baseURLs: [Component: String] = [:]) {
        self.baseURLs = Mutex(baseURLs)
    }

    /// Records that `component` listens at `baseURL` (`http://127.0.0.1:8082`).
    public func register(_ component: Component, baseURL: String) {
        baseURLs.withLock { $0[component] = baseURL }
    }

    /// The base URL of `component`, if known.
    public func baseURL(of component: Component) -> String? {
        baseURLs.withLock { $0[component] }
    }
}
