public import Foundation

/// An account as the admin API shows it.
public struct AccountRepresentation: Codable, Sendable, Equatable {
    /// The account id, which tokens carry as `sub`.
    public var id: UUID
    /// The login e-mail, lower-cased.
    public var email: String
    /// The display name.
    public var name: String
    /// The roles tokens carry.
    public var roles: [String]
    /// Whether logins are refused.
    public var disabled: Bool
}

/// A new account, as the admin API takes it.
public struct NewAccount: Codable, Sendable {
    /// The login e-mail.
    public var email: String
    /// The password, checked against ``PasswordPolicy``.
    public var password: String
    /// The display name.
    public var name: String
    /// The roles; `customer` when absent.
    public var roles: [String]?
    /// A fixed id (demo accounts); a new one when absent.
    public var id: UUID?

    /// Creates the request body.
    public init(email: String, password: String, name: String, roles: [String]? = nil, id: UUID? = nil) {
        self.email = email
        self.password = password
        self.name = name
        self.roles = roles
        self.id = id
    }
}

/// A row of the `accounts` table.
struct AccountRow: Codable, Sendable {
    var id: UUID
    var email: String
    var password_hash: String
    var name: String
    var roles: String
    var disabled: Bool
    var failed_logins: Int
    var locked_until: Int?

    var roleList: [String] { roles.split(separator: " ").map(String.init) }

    var representation: AccountRepresentation {
        AccountRepresentation(id: id, email: email, name: name, roles: roleList, disabled: disabled)
    }
}
