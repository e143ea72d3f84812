import Contracts

/// A parcel: its weight decides the price.
struct Parcel: Codable, Sendable {
    var weightGrams: Int
}

/// `POST /v1/rates`.
struct RateRequest: Codable, Sendable {
    var destination: Destination
    var parcel: Parcel

    struct Destination: Codable, Sendable {
        var country: String
        var postalCode: String
    }
}

/// One way to ship, and its price.
struct Rate: Codable, Sendable, Equatable {
    var service: String
    var carrier: String
    var amount: Money
    var estimatedDays: Int
}

/// `POST /v1/shipments`.
struct ShipmentRequest: Codable, Sendable {
    /// The caller's reference (an order id): one shipment per reference.
    var reference: String
    var service: String
    var address: PostalAddress
    var parcel: Parcel
}

/// A shipment as the API shows it.
struct Shipment: Codable, Sendable, Equatable {
    var id: String
    var reference: String
    var carrier: String
    var service: String
    var trackingNumber: String
    var labelUrl: String
    var status: String
    var cost: Money
}
