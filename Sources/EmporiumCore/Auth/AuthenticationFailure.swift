public import Contracts
import HTTPTypes

/// Why a request was not authenticated or not authorised; each case becomes a 401 or 403
/// problem with the `WWW-Authenticate` challenge RFC 6750 describes.
public enum AuthenticationFailure: Error, Equatable, Sendable {
    /// No `Authorization: Bearer` header on a route that needs one.
    case missingToken
    /// A token was sent but cannot be accepted; the reason is for the caller.
    case invalidToken(reason: String)
    /// The token is valid but lacks a role the route needs.
    case missingRole(Role)
    /// The token is valid but lacks a scope the route needs.
    case missingScope(String)
    /// The keys to check the token cannot be fetched from the identity provider right now.
    case keysUnavailable(reason: String)

    /// The problem to answer with.
    public var problem: Problem {
        switch self {
        case .missingToken:
            Problem(.unauthorized, detail: "This route needs an access token: send Authorization: Bearer <token>.", headers: Self.challenge())
        case .invalidToken(let reason):
            Problem(
                .unauthorized,
                detail: "The access token was rejected: \(reason).",
                headers: Self.challenge(error: "invalid_token", description: reason)
            )
        case .missingRole(let role):
            Problem(
                .forbidden, detail: "This route needs the \(role) role.",
                headers: Self.challenge(error: "insufficient_scope", description: "needs the \(role) role"))
        case .missingScope(let scope):
            Problem(
                .forbidden,
                detail: "This route needs the \(scope) scope.",
                headers: Self.challenge(error: "insufficient_scope", description: "needs the \(scope) scope", scope: scope)
            )
        case .keysUnavailable(let reason):
            Problem(.serviceUnavailable, detail: "Tokens cannot be checked right now: \(reason).", headers: [.retryAfter: "1"])
        }
    }

    /// The `WWW-Authenticate` header of RFC 6750 §3.
    static func challenge(error: String? = nil, description: String? = nil, scope: String? = nil) -> HTTPFields {
        var parameters = [#"realm="emporium""#]
        if let error { parameters.append(#"error="\#(error)""#) }
        // A quoted-string may not hold a double quote or a backslash unescaped; reasons never need them.
        if let description { parameters.append(#"error_description="\#(description.filter { $0 != "\"" && $0 != "\\" })""#) }
        if let scope { parameters.append(#"scope="\#(scope)""#) }
        return [.wwwAuthenticate: "Bearer " + parameters.joined(separator: ", ")]
    }
}

extension ProblemType {
    /// The request has no valid access token.
    public static let unauthorized = ProblemType(slug: "unauthorized", title: "Authentication is required", status: .unauthorized)
    /// The caller is known but may not do this.
    public static let forbidden = ProblemType(slug: "forbidden", title: "Not allowed", status: .forbidden)
    /// Too many requests from one client.
    public static let tooManyRequests = ProblemType(slug: "too-many-requests", title: "Too many requests", status: .tooManyRequests)
}
