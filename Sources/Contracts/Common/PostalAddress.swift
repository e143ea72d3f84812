/// A postal address, as customers save it and orders ship to it.
public struct PostalAddress: Codable, Sendable, Equatable {
    /// The recipient.
    public var name: String
    /// Street and number.
    public var line1: String
    /// Flat, floor, company.
    public var line2: String?
    /// The city.
    public var city: String
    /// The postal code.
    public var postalCode: String
    /// The ISO 3166-1 alpha-2 country code (`DE`, `FR`).
    public var country: String

    /// Creates an address.
    public init(name: String, line1: String, line2: String? = nil, city: String, postalCode: String, country: String) {
        self.name = name
        self.line1 = line1
        self.line2 = line2
        self.city = city
        self.postalCode = postalCode
        self.country = country
    }
}
