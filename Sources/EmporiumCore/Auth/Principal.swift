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

/// A role an account holds.
public struct Role: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// The role's name as tokens carry it.
    public var rawValue: String

    /// Wraps a role name.
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Every registered user.
    public static let customer = Role(rawValue: "customer")
    /// Operators of the shop: catalog writes, user lists.
    public static let admin = Role(rawValue: "admin")

    /// The role's name.
    public var description: String { rawValue }
}

/// The scopes service clients are granted; each names the one kind of call it allows.
public enum ServiceScope {
    /// Create, read, disable and delete accounts at the identity provider (the User Service).
    public static let manageAccounts = "idp.accounts"
    /// Rotate the identity provider's signing keys (operators).
    public static let rotateKeys = "idp.keys"
    /// Read any order (the Payment Service, checking an order's amount and owner before a charge).
    public static let readOrders = "orders.read"
}
