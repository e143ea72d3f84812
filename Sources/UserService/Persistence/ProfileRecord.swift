import Contracts
import FluentKit
import Foundation

/// A profile row. Addresses are a JSON array in one column: they are always read and replaced
/// whole, with the profile.
///
/// `@unchecked Sendable` because Fluent models are mutable classes; each record is created and used
/// within one request and never shared between tasks.
final class ProfileRecord: Model, @unchecked Sendable {
    static let schema = "profiles"

    @ID(key: .id) var id: UUID?
    @Field(key: "email") var email: String
    @Field(key: "name") var name: String
    @Field(key: "shipping_addresses") var shippingAddressesJSON: String
    @Timestamp(key: "created_at", on: .create) var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?

    init() {}

    init(id: UUID, email: String, name: String, shippingAddresses: [PostalAddress] = []) throws {
        self.id = id
        self.email = email
        self.name = name
        self.shippingAddressesJSON = try Self.encode(shippingAddresses)
    }

    var shippingAddresses: [PostalAddress] {
        get throws { try JSONDecoder().decode([PostalAddress].self, from: Data(shippingAddressesJSON.utf8)) }
    }

    func setShippingAddresses(_ addresses: [PostalAddress]) throws {
        shippingAddressesJSON = try Self.encode(addresses)
    }

    /// The API's view of the row.
    func representation() throws -> UserProfile {
        UserProfile(id: try requireID(), email: email, name: name, shippingAddresses: try shippingAddresses)
    }

    private static func encode(_ addresses: [PostalAddress]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(addresses), as: UTF8.self)
    }
}
