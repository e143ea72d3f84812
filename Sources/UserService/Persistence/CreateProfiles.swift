import FluentKit

/// The profiles table: one row per account, keyed by the identity provider's subject.
struct CreateProfiles: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(ProfileRecord.schema)
            .id()
            .field("email", .string, .required)
            .field("name", .string, .required)
            .field("shipping_addresses", .string, .required)
            .field("created_at", .datetime)
            .field("updated_at", .datetime)
            .unique(on: "email")
            .create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(ProfileRecord.schema).delete()
    }
}
