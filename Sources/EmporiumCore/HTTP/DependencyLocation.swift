import HTTPTypes

/// The base URL of a component or external system that a service calls: configured up front in
/// the distributed mode, or known only once the embedded platform has bound its port.
public struct DependencyLocation: Sendable {
    /// The dependency's name, for problems and logs (`product`, `shipping`).
    public let name: String
    private let resolve: @Sendable () -> String?

    /// A dependency at a known URL (`http://127.0.0.1:8082`).
    public static func fixed(_ name: String, url: String) -> DependencyLocation {
        let normalized = url.hasSuffix("/") ? String(url.dropLast()) : url
        return DependencyLocation(name: name) { normalized }
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
