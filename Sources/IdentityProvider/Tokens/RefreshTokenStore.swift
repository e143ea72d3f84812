import Crypto
import EmporiumCore
import Foundation
import SQLKit

/// Refresh tokens: opaque random strings, stored only as SHA-256 hashes, rotated on every use.
///
/// Each login starts a family; every rotation stays in it. A token presented a second time means
/// that two parties hold it — one of them a thief — so the whole family is revoked (OAuth 2.0
/// Security BCP, §4.14.2).
struct RefreshTokenStore: Sendable {
    let database: ServiceDatabase
    let lifetime: Duration

    private var sql: any SQLDatabase { get throws { try database.database().sql } }

    /// What a valid refresh token was issued for.
    struct Grant: Decodable {
        var family_id: UUID
        var account_id: UUID
        var client_id: String
        var scope: String
    }

    /// Why a refresh token is refused.
    enum Refusal: Error {
        case unknown, expired, reused, revoked
    }

    /// A new token for `grant` (a new family when `grant.family_id` is new).
    func issue(for grant: Grant) async throws -> String {
        let token = SecureRandom.token()
        let expiresAt = AccountStore.now() + Int(lifetime.components.seconds)
        try await sql.raw(
            """
            INSERT INTO refresh_tokens (token_hash, family_id, account_id, client_id, scope, expires_at)
            VALUES (\(bind: Self.hash(token)), \(bind: grant.family_id), \(bind: grant.account_id), \(bind: grant.client_id), \(bind: grant.scope), \(bind: expiresAt))
            """
        ).run()
        return token
    }

    /// Marks `token` used and returns its grant, so that a new token can replace it.
    ///
    /// The mark is one conditional `UPDATE … RETURNING`: of two concurrent uses of one token,
    /// exactly one succeeds, and the other is treated as reuse.
    func redeem(_ token: String) async throws -> Result<Grant, Refusal> {
        let hash = Self.hash(token)
        let now = AccountStore.now()
        if let grant = try await sql.raw(
            """
            UPDATE refresh_tokens SET used_at = \(bind: now)
            WHERE token_hash = \(bind: hash) AND used_at IS NULL AND revoked_at IS NULL AND expires_at > \(bind: now)
            RETURNING family_id, account_id, client_id, scope
            """
        ).first(decoding: Grant.self) {
            return .success(grant)
        }
        struct Row: Decodable {
            var family_id: UUID
            var used_at: Int?
            var revoked_at: Int?
        }
        guard
            let row = try await sql.raw("SELECT family_id, used_at, revoked_at FROM refresh_tokens WHERE token_hash = \(bind: hash)")
                .first(decoding: Row.self)
        else { return .failure(.unknown) }
        if row.revoked_at != nil { return .failure(.revoked) }
        if row.used_at != nil {
            try await revokeFamily(row.family_id)
            return .failure(.reused)
        }
        return .failure(.expired)
    }

    /// Revokes every token of a family.
    func revokeFamily(_ family: UUID) async throws {
        try await sql.raw(
            "UPDATE refresh_tokens SET revoked_at = \(bind: AccountStore.now()) WHERE family_id = \(bind: family) AND revoked_at IS NULL"
        )
        .run()
    }

    /// Revokes every token of an account (when it is disabled or deleted).
    func revokeAll(account: UUID) async throws {
        try await sql.raw(
            "UPDATE refresh_tokens SET revoked_at = \(bind: AccountStore.now()) WHERE account_id = \(bind: account) AND revoked_at IS NULL"
        )
        .run()
    }

    /// Revokes every refresh token `client` holds for `account` (a sign-out through that client).
    func revokeAll(account: UUID, client: String) async throws {
        try await sql.raw(
            """
            UPDATE refresh_tokens SET revoked_at = \(bind: AccountStore.now())
            WHERE account_id = \(bind: account) AND client_id = \(bind: client) AND revoked_at IS NULL
            """
        ).run()
    }

    static func hash(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).hexEncoded
    }
}
