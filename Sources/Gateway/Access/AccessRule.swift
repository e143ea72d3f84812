public import Contracts
import EmporiumCore
public import HTTPTypes

/// What the gateway requires of a request before forwarding it. The service behind checks again
/// (and checks ownership, which only it can); the gateway's check stops anonymous and
/// under-privileged traffic at the edge.
public enum AccessRule: Sendable, Equatable {
    /// Anyone, with or without a token.
    case anyone
    /// A valid access token.
    case authenticated
    /// A valid access token with this role.
    case role(Role)

    /// The rule of a public request. Routes not listed need a token: a new route is closed until
    /// it is opened here on purpose.
    public static func of(method: HTTPRequest.Method, path: String) -> AccessRule {
        let isRead = method == .get || method == .head
        if path == "/auth" || path.hasPrefix("/auth/") { return .anyone }
        if path == "/api/v1/products" || path.hasPrefix("/api/v1/products/") { return isRead ? .anyone : .role(.admin) }
        if path == "/api/v1/users" { return method == .post ? .anyone : .role(.admin) }
        if path == "/api/v1/users/me" { return .authenticated }
        if path.hasPrefix("/api/v1/users/") { return .role(.admin) }
        if path == "/api/v1/admin" || path.hasPrefix("/api/v1/admin/") { return .role(.admin) }
        return .authenticated
    }
}
