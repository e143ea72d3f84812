public import Contracts

extension PostalAddress {
    /// The longest a text member may be.
    public static let maxTextLength = 200

    /// The address trimmed and with its country upper-cased, or a 400 problem naming the member at fault.
    /// - Parameter field: The address's JSON path (`shippingAddress`), to which the member's name is added.
    public func validated(field: String) throws -> PostalAddress {
        func text(_ value: String?, _ member: String, required: Bool = true) throws -> String? {
            let trimmed = value?.trimmingWhitespace ?? ""
            if trimmed.isEmpty {
                if required { throw Problem(.invalidField, detail: "\(member) must not be empty.", field: "\(field).\(member)") }
                return nil
            }
            guard trimmed.count <= Self.maxTextLength else {
                throw Problem(.invalidField, detail: "\(member) must be at most \(Self.maxTextLength) characters long.", field: "\(field).\(member)")
            }
            guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
                throw Problem(.invalidField, detail: "\(member) must not contain control characters.", field: "\(field).\(member)")
            }
            return trimmed
        }
        let country = country.trimmingWhitespace.uppercased()
        guard country.count == 2, country.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
            throw Problem(
                .invalidField, detail: "country must be an ISO 3166-1 alpha-2 code such as DE, got \"\(self.country)\".", field: "\(field).country")
        }
        return PostalAddress(
            name: try text(name, "name")!,
            line1: try text(line1, "line1")!,
            line2: try text(line2, "line2", required: false),
            city: try text(city, "city")!,
            postalCode: try text(postalCode, "postalCode")!,
            country: country
        )
    }
}
