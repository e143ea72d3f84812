import EmporiumCore
import FluentKit
import Foundation
import JWTKit
import SQLKit

/// The provider's ES256 signing keys, kept in its database so that tokens outlive a restart.
///
/// Three states: `active` signs every new token; `next` is already published, so that verifiers
/// hold it before it signs anything; `retired` keys stay published until every token they signed
/// has expired. A rotation makes the active key retired, the next key active, and a new next key —
/// no valid token ever loses the key that verifies it.
actor SigningKeyring {
    enum State: String {
        case active, next, retired
    }

    struct StoredKey: Decodable {
        var kid: String
        var private_key_pem: String
        var state: String
        var retired_at: Int?
    }

    private let database: ServiceDatabase
    /// How long a retired key stays published: the access-token lifetime plus a margin for clock skew.
    private let retiredKeyLifetime: Int
    private var signer = JWTKeyCollection()
    private var activeKid = ""
    private var published: [PublicJWK] = []

    init(database: ServiceDatabase, accessTokenLifetime: Duration) {
        self.database = database
        self.retiredKeyLifetime = Int(accessTokenLifetime.components.seconds) + 120
    }

    private var sql: any SQLDatabase { get throws { try database.database().sql } }

    /// Loads the keys, creating the active and next ones on first start.
    func load() async throws {
        var keys = try await storedKeys()
        if !keys.contains(where: { $0.state == State.active.rawValue }) {
            try await insertNewKey(state: .active)
        }
        if !keys.contains(where: { $0.state == State.next.rawValue }) {
            try await insertNewKey(state: .next)
        }
        keys = try await storedKeys()
        try await use(keys)
    }

    /// Rotates: active → retired, next → active, and a new next key.
    /// - Returns: The ids of the new active and next keys.
    @discardableResult
    func rotate() async throws -> (active: String, next: String) {
        let now = AccountStore.now()
        try await database.database().transaction { transaction in
            let sql = try transaction.sql
            try await sql.raw("UPDATE signing_keys SET state = 'retired', retired_at = \(bind: now) WHERE state = 'active'").run()
            try await sql.raw("UPDATE signing_keys SET state = 'active' WHERE state = 'next'").run()
            try await Self.insert(Self.newKey(), state: .next, on: sql)
            // Keys whose tokens have all expired are of no use to anyone.
            try await sql.raw("DELETE FROM signing_keys WHERE state = 'retired' AND retired_at < \(bind: now - self.retiredKeyLifetime)").run()
        }
        try await use(try await storedKeys())
        return (activeKid, published.first { $0.kid != activeKid && $0.state == .next }?.kid ?? "")
    }

    /// Signs `claims` with the active key.
    func sign(_ claims: AccessTokenClaims) async throws -> String {
        try await signer.sign(claims, kid: JWKIdentifier(string: activeKid), header: ["typ": "at+jwt"])
    }

    /// Signs an ID token's `claims` with the active key.
    func sign(_ claims: IDTokenClaims) async throws -> String {
        try await signer.sign(claims, kid: JWKIdentifier(string: activeKid), header: ["typ": "JWT"])
    }

    /// The JWKS document: active, next, and retired keys whose tokens may still be valid.
    func jwks() -> JWKSDocument {
        let now = AccountStore.now()
        return JWKSDocument(keys: published.filter { $0.state != .retired || ($0.retiredAt ?? 0) + retiredKeyLifetime > now })
    }

    private func use(_ keys: [StoredKey]) async throws {
        let signer = JWTKeyCollection()
        var published: [PublicJWK] = []
        for key in keys {
            let privateKey = try ES256PrivateKey(pem: key.private_key_pem)
            guard let state = State(rawValue: key.state), let parameters = privateKey.parameters else { continue }
            if state == .active {
                await signer.add(ecdsa: privateKey, kid: JWKIdentifier(string: key.kid))
                activeKid = key.kid
            }
            published.append(PublicJWK(kid: key.kid, x: parameters.x, y: parameters.y, state: state, retiredAt: key.retired_at))
        }
        self.signer = signer
        self.published = published
    }

    private func storedKeys() async throws -> [StoredKey] {
        try await sql.raw("SELECT kid, private_key_pem, state, retired_at FROM signing_keys").all(decoding: StoredKey.self)
    }

    private func insertNewKey(state: State) async throws {
        try await Self.insert(Self.newKey(), state: state, on: sql)
    }

    private static func newKey() -> ES256PrivateKey { ES256PrivateKey() }

    private static func insert(_ key: ES256PrivateKey, state: State, on sql: any SQLDatabase) async throws {
        // The key id is random rather than a thumbprint: it only has to be unique.
        let kid = UUID().uuidString.lowercased()
        try await sql.raw(
            """
            INSERT INTO signing_keys (kid, private_key_pem, state, created_at)
            VALUES (\(bind: kid), \(bind: key.pemRepresentation), \(bind: state.rawValue), \(bind: AccountStore.now()))
            """
        ).run()
    }
}

/// A published public key (RFC 7517, EC P-256).
struct PublicJWK: Encodable, Sendable {
    var kty = "EC"
    var crv = "P-256"
    var use = "sig"
    var alg = "ES256"
    var kid: String
    var x: String
    var y: String
    var state: SigningKeyring.State
    var retiredAt: Int?

    enum CodingKeys: String, CodingKey {
        case kty, crv, use, alg, kid, x, y
    }
}

/// The JWKS document.
struct JWKSDocument: Encodable, Sendable {
    var keys: [PublicJWK]
}
