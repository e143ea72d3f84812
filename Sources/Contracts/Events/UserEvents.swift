/// A customer created an account. Consumed by the Notification Service (welcome email and its
/// recipient projection).
public struct UserRegistered: DomainEvent {
    public static let eventType = "emporium.user.registered.v1"
    public static let source = "/emporium/user"
    public var subject: String { "users/\(userId)" }

    /// The user's id (the identity provider's `sub`).
    public var userId: String
    /// Where to write to them.
    public var email: String
    /// How to address them.
    public var name: String

    /// Creates the event.
    public init(userId: String, email: String, name: String) {
        self.userId = userId
        self.email = email
        self.name = name
    }
}
