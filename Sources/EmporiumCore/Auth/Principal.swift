public import Contracts

/// Who a request acts for, taken from a verified access token.
public struct Principal: Sendable, Equatable {
    /// The token's subject: an account id, or a client id for a service.
    public var subject: String
    /// The account's roles.
    public var roles: Set<Role>
    /// The scopes the token grants.
    public var scopes: Set<String>
    /// The OAuth client the token was issued to.
    public var clientID: String
    /// The raw access token, to pass on when this request calls another component on the caller's behalf.
    public var accessToken: String

    /// Creates a principal.
    public init(subject: String, roles: Set<Role>, scopes: Set<String>, clientID: String, accessToken: String) {
        self.subject = subject
        self.roles = roles
        self.scopes = scopes
        self.clientID = clientID
        self.accessToken = accessToken
    }

    /// Whether the principal is an administrator.
    public var isAdmin: Bool { roles.contains(.admin) }

    /// Whether the token was issued to a service through the client-credentials grant.
    public var isService: Bool { subject == clientID }
}
