public import Foundation

/// A user's profile, as `GET /api/v1/users/me` returns it.
public struct UserProfile: Codable, Sendable, Equatable {
    /// The user's id: the identity provider's subject.
    public var id: UUID
    /// The login e-mail.
    public var email: String
    /// The display name.
    public var name: String
    /// Saved shipping addresses, the first being the default.
    public var shippingAddresses: [PostalAddress]

    /// Creates a profile.
    public init(id: UUID, email: String, name: String, shippingAddresses: [PostalAddress]) {
        self.id = id
        self.email = email
        self.name = name
        self.shippingAddresses = shippingAddresses
    }
}

/// The body of `POST /api/v1/users`.
public struct Registration: Codable, Sendable {
    /// The login e-mail.
    public var email: String
    /// The password.
    public var password: String
    /// The display name.
    public var name: String

    /// Creates a registration.
    public init(email: String, password: String, name: String) {
        self.email = email
        self.password = password
        self.name = name
    }
}

/// The body of `PATCH /api/v1/users/me`: absent fields stay as they are.
public struct ProfileChanges: Codable, Sendable {
    /// A new display name.
    public var name: String?
    /// The new list of shipping addresses, replacing the old one.
    public var shippingAddresses: [PostalAddress]?

    /// Creates changes.
    public init(name: String? = nil, shippingAddresses: [PostalAddress]? = nil) {
        self.name = name
        self.shippingAddresses = shippingAddresses
    }
}
