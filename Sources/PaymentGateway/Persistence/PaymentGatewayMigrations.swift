import EmporiumCore
import FluentKit
import SQLKit

/// The simulator's tables; times are Unix seconds, as Stripe's `created` is.
enum PaymentGatewayMigrations {
    static let all: [any Migration] = [CreatePaymentTables(), KeyTheLedgerByIdempotencyKey()]
}

struct CreatePaymentTables: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("payment_intents")
            .field("id", .string, .identifier(auto: false))
            .field("amount", .int64, .required)
            .field("currency", .string, .required)
            .field("payment_method", .string, .required)
            .field("status", .string, .required)
            .field("decline_code", .string)
            .field("amount_refunded", .int64, .required)
            .field("metadata", .string, .required)
            .field("created", .int64, .required)
            .create()
        try await database.schema("refunds")
            .field("id", .string, .identifier(auto: false))
            .field("payment_intent", .string, .required)
            .field("amount", .int64, .required)
            .field("created", .int64, .required)
            .create()
        // A key's request fingerprint, and its answer once there is one (status NULL: in progress).
        try await database.schema("idempotency_keys")
            .field("key", .string, .identifier(auto: false))
            .field("fingerprint", .string, .required)
            .field("status", .int64)
            .field("body", .string)
            .field("created", .int64, .required)
            .create()
    }

    func revert(on database: any Database) async throws {
        for table in ["idempotency_keys", "refunds", "payment_intents"] { try await database.schema(table).delete() }
    }
}

/// Each intent and refund remembers the `Idempotency-Key` it was made under (unique), so that a
/// request re-run after a crash finds what the first run made instead of making it again.
struct KeyTheLedgerByIdempotencyKey: AsyncMigration {
    func prepare(on database: any Database) async throws {
        for table in ["payment_intents", "refunds"] {
            try await database.schema(table).field("idempotency_key", .string).update()
            try await database.sql.create(index: "\(table)_by_idempotency_key").unique().on(table).column("idempotency_key").run()
        }
    }

    func revert(on database: any Database) async throws {
        for table in ["payment_intents", "refunds"] { try await database.schema(table).deleteField("idempotency_key").update() }
    }
}
