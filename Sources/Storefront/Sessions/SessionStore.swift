import EmporiumCore
import FluentKit
import Foundation
import SQLKit

/// Who a signed-in browser acts for, with the tokens the storefront holds for them.
struct SignedInCustomer: Sendable, Equatable, Decodable {
    var subject: String
    var displayName: String
    var email: String
    var roles: String
    var accessToken: String
    var refreshToken: String?
    var idToken: String
    var accessExpiresAt: Double
    var seenAt: Double

    /// Whether they run the shop.
    var isAdmin: Bool { roles.split(separator: " ").contains("admin") }

    enum CodingKeys: String, CodingKey {
        case subject, email, roles
        case displayName = "display_name"
        case accessToken = "access_token"
        case refreshToken = "refresh_token"
        case idToken = "id_token"
        case accessExpiresAt = "access_expires_at"
        case seenAt = "seen_at"
    }
}

/// A sign-in under way: what the callback needs to finish it.
struct PendingSignIn: Sendable, Decodable {
    var sessionHash: String
    var nonce: String
    var codeVerifier: String
    var returnTo: String
    var startedAt: Double

    enum CodingKeys: String, CodingKey {
        case nonce
        case sessionHash = "session_hash"
        case codeVerifier = "code_verifier"
        case returnTo = "return_to"
        case startedAt = "started_at"
    }
}

/// The signed-in sessions and the sign-ins under way, in the storefront's own database.
struct SessionStore: Sendable {
    /// How long a sign-in may take at the provider's page.
    static let signInLifetime: Double = 600

    let database: ServiceDatabase
    let idleLifetime: Duration

    /// The customer session `key` is signed in as, unless it has been idle too long.
    func customer(sessionKey key: String) async throws -> SignedInCustomer? {
        let idleSince = Date().timeIntervalSince1970 - Double(idleLifetime.components.seconds)
        guard
            let customer = try await database.reader().sql.raw(
                """
                SELECT subject, display_name, email, roles, access_token, refresh_token, id_token, access_expires_at, seen_at
                FROM sessions WHERE id_hash = \(bind: key) AND seen_at > \(bind: idleSince)
                """
            ).first(decoding: SignedInCustomer.self)
        else { return nil }
        // A visit an hour after the last one keeps the session alive; more often costs a write per page.
        if Date().timeIntervalSince1970 - customer.seenAt > 3600 {
            try await database.transaction { database in
                try await database.sql.raw("UPDATE sessions SET seen_at = \(bind: Date().timeIntervalSince1970) WHERE id_hash = \(bind: key)").run()
            }
        }
        return customer
    }

    /// Records that session `key` is signed in as `customer`.
    func signIn(sessionKey key: String, as customer: SignedInCustomer) async throws {
        try await database.transaction { database in
            try await database.sql.raw(
                """
                INSERT INTO sessions (id_hash, subject, display_name, email, roles, access_token, refresh_token, id_token, access_expires_at, seen_at)
                VALUES (\(bind: key), \(bind: customer.subject), \(bind: customer.displayName), \(bind: customer.email), \(bind: customer.roles),
                  \(bind: customer.accessToken), \(bind: customer.refreshToken), \(bind: customer.idToken), \(bind: customer.accessExpiresAt),
                  \(bind: customer.seenAt))
                """
            ).run()
        }
    }

    /// Records the tokens a refresh brought for session `key`.
    func renew(sessionKey key: String, accessToken: String, refreshToken: String, expiresAt: Double) async throws {
        try await database.transaction { database in
            try await database.sql.raw(
                """
                UPDATE sessions SET access_token = \(bind: accessToken), refresh_token = \(bind: refreshToken),
                  access_expires_at = \(bind: expiresAt) WHERE id_hash = \(bind: key)
                """
            ).run()
        }
    }

    /// Shows `displayName` in session `key`'s header from now on, after the profile's name changed.
    func rename(sessionKey key: String, to displayName: String) async throws {
        try await database.transaction { database in
            try await database.sql.raw("UPDATE sessions SET display_name = \(bind: displayName) WHERE id_hash = \(bind: key)").run()
        }
    }

    /// Ends session `key`.
    func signOut(sessionKey key: String) async throws {
        try await database.transaction { database in
            try await database.sql.raw("DELETE FROM sessions WHERE id_hash = \(bind: key)").run()
        }
    }

    /// Records a sign-in started by session `sessionKey` under `state`.
    func start(state: String, sessionKey: String, nonce: String, codeVerifier: String, returnTo: String) async throws {
        let now = Date().timeIntervalSince1970
        try await database.transaction { database in
            try await database.sql.raw(
                """
                INSERT INTO sign_ins (state_hash, session_hash, nonce, code_verifier, return_to, started_at)
                VALUES (\(bind: SessionCookie.storageKey(of: state)), \(bind: sessionKey), \(bind: nonce), \(bind: codeVerifier),
                  \(bind: returnTo), \(bind: now))
                """
            ).run()
            // Sign-ins nobody finished are of no use after their time.
            try await database.sql.raw("DELETE FROM sign_ins WHERE started_at < \(bind: now - Self.signInLifetime)").run()
        }
    }

    /// The sign-in `state` names, taken out so that it finishes once; nil if unknown or too old.
    func finish(state: String) async throws -> PendingSignIn? {
        let key = SessionCookie.storageKey(of: state)
        return try await database.transaction { database in
            let sql = try database.sql
            let pending = try await sql.raw(
                "SELECT session_hash, nonce, code_verifier, return_to, started_at FROM sign_ins WHERE state_hash = \(bind: key)"
            ).first(decoding: PendingSignIn.self)
            try await sql.raw("DELETE FROM sign_ins WHERE state_hash = \(bind: key)").run()
            guard let pending, Date().timeIntervalSince1970 - pending.startedAt < Self.signInLifetime else { return nil }
            return pending
        }
    }
}
