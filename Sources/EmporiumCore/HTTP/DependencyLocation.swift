import HTTPTypes
import Synchronization

/// The base URL of a component or external system that a service calls: configured up front in
/// the distributed mode, or known only once the embedded platform has bound its port.
public struct DependencyLocation: Sendable {
    /// The dependency's name, for problems and logs (`product`, `shipping`).
    public let name: String
    private let resolve: @Sendable () -> String?

    /// A dependency at a known URL (`http://127.0.0.1:8082`).
    public static func fixed(_ name: String, url: String) -> DependencyLocation {
        fixed(name, urls: [url])
    }

    /// A dependency with several instances, taken in turn (round robin) call by call and attempt
    /// by attempt, so that a retried call goes to another instance.
    /// - Precondition: `urls` is not empty.
    public static func fixed(_ name: String, urls: [String]) -> DependencyLocation {
        precondition(!urls.isEmpty, "a dependency needs at least one URL")
        let normalized = urls.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        guard normalized.count > 1 else { return DependencyLocation(name: name) { normalized[0] } }
        let turn = RoundRobin()
        return DependencyLocation(name: name) { normalized[turn.next() % normalized.count] }
    }

    /// A dependency whose URL becomes known later; `resolve` returns nil until then.
    public static func deferred(_ name: String, _ resolve: @escaping @Sendable () -> String?) -> DependencyLocation {
        DependencyLocation(name: name, resolve: resolve)
    }

    /// The base URL, without a trailing slash.
    /// - Throws: a 503 ``Problem`` while it is not known.
    public func url() throws -> String {
        guard let url = resolve() else {
            throw Problem(.serviceUnavailable, detail: "\(name) has not started yet.", headers: [.retryAfter: "1"])
        }
        return url
    }
}

/// A counter shared by the calls of one dependency.
private final class RoundRobin: Sendable {
    private let counter = Atomic<Int>(0)

    /// The next turn (wrapping, never negative).
    func next() -> Int {
        counter.add(1, ordering: .relaxed).oldValue & Int.max
    }
}
