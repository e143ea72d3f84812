import EmporiumCore
import Foundation
import SQLKit

/// The simulator's payment intents and refunds.
struct PaymentLedger: Sendable {
    let database: ServiceDatabase
    private var sql: any SQLDatabase { get throws { try database.database().sql } }

    /// The test payment methods, as Stripe documents them, and what each does.
    static let outcomes: [String: String?] = [
        "pm_card_visa": nil,
        "pm_card_mastercard": nil,
        "pm_card_chargeDeclined": "generic_decline",
        "pm_card_insufficientFunds": "insufficient_funds",
    ]

    /// Creates and confirms a payment intent: it succeeds, or is declined by its test method.
    ///
    /// An intent already made under `idempotencyKey` is returned instead: a request whose answer
    /// was lost to a crash (its key's claim abandoned and taken over) never charges twice.
    func createAndConfirm(amount: Int, currency: String, paymentMethod: String, metadata: [String: String], idempotencyKey: String?) async throws
        -> PaymentIntentObject
    {
        if let idempotencyKey,
            let id = try await sql.raw("SELECT id FROM payment_intents WHERE idempotency_key = \(bind: idempotencyKey)").first(
                decodingColumn: "id", as: String.self)
        {
            return try await intent(id)!
        }
        guard let declineCode = Self.outcomes[paymentMethod] else {
            throw StripeError.invalid("No such PaymentMethod: '\(paymentMethod)'", param: "payment_method", code: "resource_missing")
        }
        let intent = PaymentIntentObject(
            id: Self.newID("pi"),
            amount: amount,
            amount_received: declineCode == nil ? amount : 0,
            amount_refunded: 0,
            currency: currency,
            payment_method: paymentMethod,
            status: declineCode == nil ? "succeeded" : "requires_payment_method",
            last_payment_error: declineCode.map {
                .init(decline_code: $0, message: $0 == "insufficient_funds" ? "Your card has insufficient funds." : "Your card was declined.")
            },
            metadata: metadata,
            created: PaymentGatewayClock.now()
        )
        let metadataJSON = String(decoding: try JSONEncoder().encode(metadata), as: UTF8.self)
        try await sql.raw(
            """
            INSERT INTO payment_intents (id, amount, currency, payment_method, status, decline_code, amount_refunded, metadata, created, idempotency_key)
            VALUES (\(bind: intent.id), \(bind: amount), \(bind: currency), \(bind: paymentMethod), \(bind: intent.status),
                    \(bind: declineCode), 0, \(bind: metadataJSON), \(bind: intent.created), \(bind: idempotencyKey))
            """
        ).run()
        return intent
    }

    func intent(_ id: String) async throws -> PaymentIntentObject? {
        struct Row: Decodable {
            var id: String
            var amount: Int
            var currency: String
            var payment_method: String
            var status: String
            var decline_code: String?
            var amount_refunded: Int
            var metadata: String
            var created: Int
        }
        guard let row = try await sql.raw("SELECT * FROM payment_intents WHERE id = \(bind: id)").first(decoding: Row.self) else { return nil }
        return PaymentIntentObject(
            id: row.id,
            amount: row.amount,
            amount_received: row.status == "succeeded" ? row.amount : 0,
            amount_refunded: row.amount_refunded,
            currency: row.currency,
            payment_method: row.payment_method,
            status: row.status,
            last_payment_error: row.decline_code.map { .init(decline_code: $0, message: "Your card was declined.") },
            metadata: (try? JSONDecoder().decode([String: String].self, from: Data(row.metadata.utf8))) ?? [:],
            created: row.created
        )
    }

    /// Refunds `amount` (all that is left when nil) of a succeeded intent; a refund already made
    /// under `idempotencyKey` is returned instead.
    func refund(intentID: String, amount: Int?, idempotencyKey: String?) async throws -> RefundObject {
        struct Existing: Decodable {
            var id: String
            var payment_intent: String
            var amount: Int
            var created: Int
        }
        if let idempotencyKey,
            let existing = try await sql.raw(
                "SELECT id, payment_intent, amount, created FROM refunds WHERE idempotency_key = \(bind: idempotencyKey)"
            ).first(decoding: Existing.self),
            let intent = try await intent(existing.payment_intent)
        {
            return RefundObject(
                id: existing.id, amount: existing.amount, currency: intent.currency, payment_intent: existing.payment_intent,
                created: existing.created)
        }
        guard let intent = try await intent(intentID) else {
            throw StripeError.invalid("No such payment_intent: '\(intentID)'", param: "payment_intent", code: "resource_missing")
        }
        guard intent.status == "succeeded" else {
            throw StripeError.invalid(
                "This PaymentIntent has no successful charge to refund.", param: "payment_intent", code: "charge_not_refundable")
        }
        let remaining = intent.amount - intent.amount_refunded
        let amount = amount ?? remaining
        guard amount > 0, amount <= remaining else {
            throw StripeError.invalid(
                "Refund amount (\(amount)) is greater than the unrefunded amount (\(remaining)).", param: "amount", code: "amount_too_large")
        }
        // Conditional, so that two refunds racing cannot together exceed the amount.
        let updated = try await sql.raw(
            "UPDATE payment_intents SET amount_refunded = amount_refunded + \(bind: amount) WHERE id = \(bind: intentID) AND amount - amount_refunded >= \(bind: amount) RETURNING id"
        ).first()
        guard updated != nil else {
            throw StripeError.invalid("The unrefunded amount changed; try again.", param: "amount", code: "amount_too_large")
        }
        let refund = RefundObject(
            id: Self.newID("re"), amount: amount, currency: intent.currency, payment_intent: intentID, created: PaymentGatewayClock.now())
        try await sql.raw(
            "INSERT INTO refunds (id, payment_intent, amount, created, idempotency_key) VALUES (\(bind: refund.id), \(bind: intentID), \(bind: amount), \(bind: refund.created), \(bind: idempotencyKey))"
        ).run()
        return refund
    }

    static func newID(_ prefix: String) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        var generator = SystemRandomNumberGenerator()
        return prefix + "_" + String((0..<24).map { _ in alphabet.randomElement(using: &generator)! })
    }
}
