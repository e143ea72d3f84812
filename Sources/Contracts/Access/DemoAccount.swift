public import Foundation

/// The demonstration accounts the embedded mode seeds (unless `--no-demo`): the identity
/// provider creates them and the User Service their profiles, under the same fixed ids, so that
/// neither needs the other running to seed.
public struct DemoAccount: Sendable {
    /// The account id, which is the token subject and the profile id.
    public let id: UUID
    /// The login.
    public let email: String
    /// The profile name.
    public let name: String
    /// The account's roles.
    public let roles: [Role]

    /// The password used when none is given (`--demo-password`).
    public static let defaultPassword = "emporium-demo"

    /// The administrator: catalog writes and user lists.
    public static let admin = DemoAccount(
        id: UUID(uuidString: "00000000-0000-4000-8000-00000000ad01")!,
        email: "admin@demo.emporium",
        name: "Demo Admin",
        roles: [.admin]
    )
    /// A customer: shops, orders and pays.
    public static let customer = DemoAccount(
        id: UUID(uuidString: "00000000-0000-4000-8000-00000000c001")!,
        email: "customer@demo.emporium",
        name: "Demo Customer",
        roles: [.customer]
    )
    /// Both, in the order they are printed.
    public static let all = [admin, customer]
}
