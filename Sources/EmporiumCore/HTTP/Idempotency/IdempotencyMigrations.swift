import FluentKit

/// The table of `Idempotency-Key`s a service has seen, per caller.
struct CreateIdempotencyKeys: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema("idempotency_keys")
            .field("caller", .string, .required)
            .field("key", .string, .required)
            .field("fingerprint", .string, .required)
            .field("status", .int64)
            .field("content_type", .string)
            .field("location", .string)
            .field("body", .string)
            .field("claimed_at", .double, .required)
            .compositeIdentifier(over: "caller", "key")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema("idempotency_keys").delete()
    }
}
