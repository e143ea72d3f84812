import Contracts
import EmporiumCore
import FluentKit

/// The profiles of the demo accounts, under the ids the identity provider gives them.
///
/// They are seeded without `UserRegistered`: the demo accounts are not registrations, and no
/// welcome mail should go to addresses nobody reads.
enum DemoProfiles {
    static func seedIfMissing(_ database: any Database) async throws {
        for account in DemoAccount.all where try await ProfileRecord.find(account.id, on: database) == nil {
            try await ProfileRecord(id: account.id, email: account.email, name: account.name).create(on: database)
        }
    }
}
