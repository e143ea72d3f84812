import FluentKit

/// Signed-in sessions: who the browser acts for and the tokens the storefront holds for it, which
/// never leave the server; and the sign-ins under way, each with the PKCE verifier and nonce only
/// the storefront knows. Both keyed by hashes, so that the tables alone open nothing.
struct CreateSessions: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("sessions")
            .field("id_hash", .string, .identifier(auto: false))
            .field("subject", .string, .required)
            .field("display_name", .string, .required)
            .field("email", .string, .required)
            .field("roles", .string, .required)
            .field("access_token", .string, .required)
            .field("refresh_token", .string)
            .field("id_token", .string, .required)
            .field("access_expires_at", .double, .required)
            .field("seen_at", .double, .required)
            .create()
        try await database.schema("sign_ins")
            .field("state_hash", .string, .identifier(auto: false))
            .field("session_hash", .string, .required)
            .field("nonce", .string, .required)
            .field("code_verifier", .string, .required)
            .field("return_to", .string, .required)
            .field("started_at", .double, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("sign_ins").delete()
        try await database.schema("sessions").delete()
    }
}
