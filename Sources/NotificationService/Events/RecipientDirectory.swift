import Contracts
import EmporiumCore
import Foundation
import SQLKit

/// The Notification Service's own projection of who users are, built from `UserRegistered`, so
/// that sending needs no call to the User Service.
struct RecipientDirectory: Sendable {
    let sql: any SQLDatabase

    struct Recipient: Decodable {
        var email: String
        var name: String
    }

    func save(userID: String, email: String, name: String) async throws {
        try await sql.raw(
            """
            INSERT INTO recipients (user_id, email, name, updated_at) VALUES (\(bind: userID), \(bind: email), \(bind: name), \(bind: Date().timeIntervalSince1970))
            ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, name = excluded.name, updated_at = excluded.updated_at
            """
        ).run()
    }

    func find(_ userID: String) async throws -> Recipient? {
        try await sql.raw("SELECT email, name FROM recipients WHERE user_id = \(bind: userID)").first(decoding: Recipient.self)
    }

    /// The demo accounts, which are seeded rather than registered, so that their orders are notified too.
    func seedDemoAccounts() async throws {
        for account in DemoAccount.all where try await find(account.id.uuidString) == nil {
            try await save(userID: account.id.uuidString, email: account.email, name: account.name)
        }
    }
}
