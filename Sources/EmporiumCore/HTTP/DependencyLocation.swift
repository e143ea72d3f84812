import HTTPTypes
import Synchronization

/// The base URL of a component or external system that a service calls: configured up front in
/// the distributed mode, or known only once the embedded platform has bound its port.
public struct DependencyLocation: Sendable {
    /// The dependency's name, for problems and logs (`product`, `shipping`).
    public let name: String
    private let resolve: @Sendable () -> String?
    /// The instances, when there are several.
    private let rotation: InstanceRotation?

    private init(name: String, resolve: @escaping @Sendable () -> String?, rotation: InstanceRotation? = nil) {
        self.name = name
        self.resolve = resolve
        self.rotation = rotation
    }

    /// A dependency at a known URL (`http://127.0.0.1:8082`).
    public static func fixed(_ name: String, url: String) -> DependencyLocation {
        fixed(name, urls: [url])
    }

    /// A dependency with several instances, taken in turn (round robin) call by call and attempt
    /// by attempt, so that a retried call goes to another instance.
    ///
    /// An instance whose call failed (unreachable, timed out or a 5xx) rests: it is skipped for
    /// `restAfterFailure`, doubled for each further failure in a row up to 30 s, then tried again
    /// by the next call that comes to its turn; a success ends its rest. So one dead instance of
    /// two costs about one failed attempt per rest, not every other call. When every instance
    /// rests, the one back soonest is used.
    /// - Precondition: `urls` is not empty.
    public static func fixed(_ name: String, urls: [String], restAfterFailure: Duration = .seconds(1)) -> DependencyLocation {
        precondition(!urls.isEmpty, "a dependency needs at least one URL")
        let normalized = urls.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
        guard normalized.count > 1 else { return DependencyLocation(name: name) { normalized[0] } }
        let rotation = InstanceRotation(urls: normalized, rest: restAfterFailure)
        return DependencyLocation(name: name, resolve: { rotation.next() }, rotation: rotation)
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

    /// Records how a call to the instance at `url` went, so that a failing one rests.
    /// - Returns: How long the instance now rests, when the call failed and there are several.
    @discardableResult
    public func record(_ url: String, failed: Bool) -> Duration? {
        rotation?.record(url, failed: failed)
    }
}

/// The instances of one dependency, in turn, skipping those resting after a failure.
private final class InstanceRotation: Sendable {
    private struct Rest {
        var failures: Int
        var until: ContinuousClock.Instant
    }

    let urls: [String]
    let rest: Duration
    private let turn = Atomic<Int>(0)
    private let resting = Mutex<[String: Rest]>([:])

    init(urls: [String], rest: Duration) {
        self.urls = urls
        self.rest = rest
    }

    /// The next instance in turn that is not resting.
    func next() -> String {
        let start = turn.add(1, ordering: .relaxed).oldValue & Int.max
        let now = ContinuousClock.now
        return resting.withLock { resting in
            if resting.isEmpty { return urls[start % urls.count] }
            for offset in 0..<urls.count {
                let url = urls[(start + offset) % urls.count]
                guard let rest = resting[url], rest.until > now else { return url }
            }
            return urls.min { (resting[$0]?.until ?? now) < (resting[$1]?.until ?? now) } ?? urls[0]
        }
    }

    func record(_ url: String, failed: Bool) -> Duration? {
        resting.withLock { resting in
            guard failed else {
                resting[url] = nil
                return nil
            }
            let failures = (resting[url]?.failures ?? 0) + 1
            let duration = min(rest * (1 << min(failures - 1, 10)), .seconds(30))
            resting[url] = Rest(failures: failures, until: .now + duration)
            return duration
        }
    }
}
