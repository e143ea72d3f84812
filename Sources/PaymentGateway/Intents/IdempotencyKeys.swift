import EmporiumCore
import Foundation
import SQLKit

/// Stripe's `Idempotency-Key`: the first request with a key is processed and its answer kept; a
/// later request with the same key and the same parameters gets that answer again; with other
/// parameters it is refused; while the first is still being processed, a second gets a 409.
struct IdempotencyKeys: Sendable {
    let database: ServiceDatabase
    private var sql: any SQLDatabase { get throws { try database.database().sql } }

    /// How long a claim without an answer is taken for a request still running.
    static let abandonAfterSeconds = 30

    enum Claim {
        /// The key is new: process the request, then ``finish(_:status:body:)``.
        case claimed
        /// The key has an answer to give again.
        case replay(status: Int, body: String)
    }

    /// Claims `key` for a request whose parameters have `fingerprint`.
    func claim(_ key: String, fingerprint: String) async throws -> Claim {
        guard key.count <= 255 else { throw StripeError.invalid("Idempotency-Key must be at most 255 characters.", param: "Idempotency-Key") }
        let claimed = try await sql.raw(
            """
            INSERT INTO idempotency_keys (key, fingerprint, created) VALUES (\(bind: key), \(bind: fingerprint), \(bind: PaymentGatewayClock.now()))
            ON CONFLICT (key) DO NOTHING RETURNING key
            """
        ).first()
        if claimed != nil { return .claimed }
        struct Row: Decodable {
            var fingerprint: String
            var status: Int?
            var body: String?
        }
        guard let row = try await sql.raw("SELECT fingerprint, status, body FROM idempotency_keys WHERE key = \(bind: key)").first(decoding: Row.self)
        else {
            // Released by a failed first request between our insert and select: try once more.
            return try await claim(key, fingerprint: fingerprint)
        }
        guard row.fingerprint == fingerprint else {
            throw StripeError(
                status: 400,
                type: "idempotency_error",
                message: "Keys for idempotent requests can only be used with the same parameters they were first used with."
            )
        }
        guard let status = row.status, let body = row.body else {
            // A claim this old belonged to a request that died with its process: take it over.
            // What that request made, if anything, the ledger finds by the same key.
            let now = PaymentGatewayClock.now()
            let taken = try await sql.raw(
                "UPDATE idempotency_keys SET created = \(bind: now) WHERE key = \(bind: key) AND status IS NULL AND created < \(bind: now - Self.abandonAfterSeconds) RETURNING key"
            ).first()
            if taken != nil { return .claimed }
            throw StripeError(
                status: 409, type: "idempotency_error", code: "idempotency_key_in_use", message: "A request with this key is still being processed.")
        }
        return .replay(status: status, body: body)
    }

    /// Stores the answer of a claimed key.
    func finish(_ key: String, status: Int, body: String) async throws {
        try await sql.raw("UPDATE idempotency_keys SET status = \(bind: status), body = \(bind: body) WHERE key = \(bind: key)").run()
    }

    /// Frees a claimed key whose request failed before it had an answer, so that a retry runs it.
    func release(_ key: String) async throws {
        try await sql.raw("DELETE FROM idempotency_keys WHERE key = \(bind: key) AND status IS NULL").run()
    }
}

/// Unix seconds, as Stripe's `created` counts them.
enum PaymentGatewayClock {
    static func now() -> Int { Int(Date().timeIntervalSince1970) }
}
