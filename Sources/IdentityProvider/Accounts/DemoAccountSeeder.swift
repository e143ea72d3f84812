import Contracts
import EmporiumCore

/// Creates the demo accounts, or resets their password and roles if they exist, so that the
/// password printed at start is always the one that works.
struct DemoAccountSeeder {
    let accounts: AccountStore

    /// The bcrypt cost of demo passwords: they are printed on screen, so a slow hash would protect
    /// nothing and only slow every start.
    static let demoCost: UInt8 = 6

    func seed(password: String) async throws {
        for demo in DemoAccount.all {
            let roles = demo.roles.map(\.rawValue)
            let hash = try await PasswordHasher(cost: Self.demoCost).hash(password)
            if try await accounts.find(id: demo.id) != nil {
                try await accounts.reset(id: demo.id, passwordHash: hash, roles: roles)
            } else {
                _ = try await accounts.create(
                    NewAccount(email: demo.email, password: password, name: demo.name, roles: roles, id: demo.id), hashCost: Self.demoCost)
            }
        }
    }
}
