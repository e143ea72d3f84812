public import Contracts

/// A parcel: its weight decides the price.
public struct Parcel: Codable, Sendable, Equatable {
    /// Its weight in grams, 1 to 31,500.
    public var weightGrams: Int

    /// Creates a parcel.
    public init(weightGrams: Int) {
        self.weightGrams = weightGrams
    }
}

/// `POST /v1/rates`: where a parcel goes.
public struct RateRequest: Codable, Sendable {
    /// The destination.
    public var destination: Destination
    /// What is sent.
    public var parcel: Parcel

    /// Where a parcel goes, as far as its price depends on it.
    public struct Destination: Codable, Sendable {
        /// ISO 3166-1 alpha-2.
        public var country: String
        /// The postal code.
        public var postalCode: String

        /// Creates a destination.
        public init(country: String, postalCode: String) {
            self.country = country
            self.postalCode = postalCode
        }
    }

    /// Creates a request.
    public init(destination: Destination, parcel: Parcel) {
        self.destination = destination
        self.parcel = parcel
    }
}

/// One way to ship, and its price.
public struct Rate: Codable, Sendable, Equatable {
    /// `standard` or `express`.
    public var service: String
    /// The carrier's name.
    public var carrier: String
    /// The price.
    public var amount: Money
    /// Days until delivery, as the carrier estimates them.
    public var estimatedDays: Int

    /// Creates a rate.
    public init(service: String, carrier: String, amount: Money, estimatedDays: Int) {
        self.service = service
        self.carrier = carrier
        self.amount = amount
        self.estimatedDays = estimatedDays
    }
}

/// `POST /v1/shipments`.
public struct ShipmentRequest: Codable, Sendable {
    /// The caller's reference (an order id): one shipment per reference, so a retry never ships twice.
    public var reference: String
    /// The service of a quoted rate.
    public var service: String
    /// Where it goes.
    public var address: PostalAddress
    /// What is sent.
    public var parcel: Parcel

    /// Creates a request.
    public init(reference: String, service: String, address: PostalAddress, parcel: Parcel) {
        self.reference = reference
        self.service = service
        self.address = address
        self.parcel = parcel
    }
}

/// A shipment as the API shows it.
public struct Shipment: Codable, Sendable, Equatable {
    /// The shipping API's id.
    public var id: String
    /// The caller's reference.
    public var reference: String
    /// The carrier's name.
    public var carrier: String
    /// The service.
    public var service: String
    /// The carrier's tracking number.
    public var trackingNumber: String
    /// Where the label can be fetched.
    public var labelUrl: String
    /// `created`, then the carrier's states; `cancelled` once voided.
    public var status: String
    /// What it cost.
    public var cost: Money

    /// The status of a voided shipment: its label is no longer valid and nothing is collected.
    public static let cancelled = "cancelled"
}
