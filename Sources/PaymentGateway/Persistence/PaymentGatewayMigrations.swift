import FluentKit

/// The simulator's tables; times are Unix seconds, as Stripe's `created` is.
enum PaymentGatewayMigrations {
    static let all: [any Migration] = [CreatePaymentTables()]
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
