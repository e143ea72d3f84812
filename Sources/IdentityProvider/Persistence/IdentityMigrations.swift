import EmporiumCore
import FluentKit
import SQLKit

/// The provider's tables. Times are whole Unix seconds (`int64`) so that the conditional updates
/// written in SQL compare them the same way on SQLite and PostgreSQL.
enum IdentityMigrations {
    static let all: [any Migration] = [CreateAccounts(), CreateRefreshTokens(), CreateSigningKeys(), CreateAuthorizationCodes()]
}

/// Accounts: a unique e-mail, a bcrypt hash, roles, and the failed-login state.
struct CreateAccounts: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("accounts")
            .field("id", .uuid, .identifier(auto: false))
            .field("email", .string, .required)
            .field("password_hash", .string, .required)
            .field("name", .string, .required)
            .field("roles", .string, .required)
            .field("disabled", .bool, .required)
            .field("failed_logins", .int64, .required)
            .field("locked_until", .int64)
            .field("created_at", .int64, .required)
            .unique(on: "email")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("accounts").delete()
    }
}

/// Refresh tokens, stored as SHA-256 hashes, grouped in families: one login and every rotation
/// of it. A token used twice revokes its family.
struct CreateRefreshTokens: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("refresh_tokens")
            .field("token_hash", .string, .identifier(auto: false))
            .field("family_id", .uuid, .required)
            .field("account_id", .uuid, .required)
            .field("client_id", .string, .required)
            .field("scope", .string, .required)
            .field("expires_at", .int64, .required)
            .field("used_at", .int64)
            .field("revoked_at", .int64)
            .create()
        try await database.sql.create(index: "refresh_tokens_family").on("refresh_tokens").column("family_id").run()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("refresh_tokens").delete()
    }
}

/// Signing keys: the active one, the next one, and retired ones still needed to verify tokens
/// they signed.
struct CreateSigningKeys: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("signing_keys")
            .field("kid", .string, .identifier(auto: false))
            .field("private_key_pem", .string, .required)
            .field("state", .string, .required)
            .field("created_at", .int64, .required)
            .field("retired_at", .int64)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("signing_keys").delete()
    }
}

/// Authorization codes of the code flow, stored as SHA-256 hashes: single-use, short-lived, bound
/// to the client, the redirect URI and the PKCE challenge they were issued with.
struct CreateAuthorizationCodes: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("authorization_codes")
            .field("code_hash", .string, .identifier(auto: false))
            .field("client_id", .string, .required)
            .field("redirect_uri", .string, .required)
            .field("account_id", .uuid, .required)
            .field("scope", .string, .required)
            .field("nonce", .string)
            .field("code_challenge", .string, .required)
            .field("auth_time", .int64, .required)
            .field("expires_at", .int64, .required)
            .field("used_at", .int64)
            .field("family_id", .uuid)
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("authorization_codes").delete()
    }
}
