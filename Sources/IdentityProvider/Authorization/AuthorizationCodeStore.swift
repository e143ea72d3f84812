import Crypto
import EmporiumCore
import Foundation
import SQLKit

/// The authorization codes of the code flow (RFC 6749 §4.1, PKCE RFC 7636): each lives a minute,
/// is redeemed once, and only by the client, redirect URI and code verifier it was issued for. A
/// code presented twice revokes the refresh tokens its first use began (RFC 6749 §4.1.2).
struct AuthorizationCodeStore: Sendable {
    static let lifetimeSeconds = 60

    let database: ServiceDatabase

    /// What a code stands for.
    struct Grant: Decodable, Sendable {
        var client_id: String
        var redirect_uri: String
        var account_id: UUID
        var scope: String
        var nonce: String?
        var code_challenge: String
        var auth_time: Int
    }

    /// Why a code is refused.
    enum Refusal: Error {
        case unknown, expired
        case reused(family: UUID?)
    }

    /// A new code for `grant`.
    func issue(_ grant: Grant) async throws -> String {
        let code = SecureRandom.token()
        let now = AccountStore.now()
        try await database.transaction { database in
            try await database.sql.raw(
                """
                INSERT INTO authorization_codes
                  (code_hash, client_id, redirect_uri, account_id, scope, nonce, code_challenge, auth_time, expires_at)
                VALUES (\(bind: Self.hash(code)), \(bind: grant.client_id), \(bind: grant.redirect_uri), \(bind: grant.account_id),
                  \(bind: grant.scope), \(bind: grant.nonce), \(bind: grant.code_challenge), \(bind: grant.auth_time),
                  \(bind: now + Self.lifetimeSeconds))
                """
            ).run()
            // Codes a minute past their end are of no use to anyone.
            try await database.sql.raw("DELETE FROM authorization_codes WHERE expires_at < \(bind: now - 3600)").run()
        }
        return code
    }

    /// Marks `code` used, recording the refresh-token family `family` its redemption begins, and
    /// returns its grant. One conditional `UPDATE … RETURNING`: of two uses at once, one wins.
    func redeem(_ code: String, family: UUID) async throws -> Result<Grant, Refusal> {
        let hash = Self.hash(code)
        let now = AccountStore.now()
        let redeemed = try await database.transaction { database in
            try await database.sql.raw(
                """
                UPDATE authorization_codes SET used_at = \(bind: now), family_id = \(bind: family)
                WHERE code_hash = \(bind: hash) AND used_at IS NULL AND expires_at > \(bind: now)
                RETURNING client_id, redirect_uri, account_id, scope, nonce, code_challenge, auth_time
                """
            ).first(decoding: Grant.self)
        }
        if let redeemed { return .success(redeemed) }
        struct Row: Decodable {
            var used_at: Int?
            var family_id: UUID?
        }
        guard
            let row = try await database.database().sql.raw("SELECT used_at, family_id FROM authorization_codes WHERE code_hash = \(bind: hash)")
                .first(decoding: Row.self)
        else { return .failure(.unknown) }
        return .failure(row.used_at == nil ? .expired : .reused(family: row.family_id))
    }

    /// Whether `verifier` is the one whose S256 challenge is `challenge` (RFC 7636 §4.6).
    static func verifierMatches(_ verifier: String, challenge: String) -> Bool {
        // RFC 7636 §4.1: 43 to 128 unreserved characters.
        guard (43...128).contains(verifier.utf8.count),
            verifier.utf8.allSatisfy({ byte in
                (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || (0x30...0x39).contains(byte)
                    || [0x2D, 0x2E, 0x5F, 0x7E].contains(byte)
            })
        else { return false }
        return Base64URL.encode(Data(SHA256.hash(data: Data(verifier.utf8)))) == challenge
    }

    static func hash(_ code: String) -> String {
        SHA256.hash(data: Data(code.utf8)).hexEncoded
    }
}
