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
