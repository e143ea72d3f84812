public import Contracts

extension PostalAddress {
    /// The longest a text member may be.
    public static let maxTextLength = 200

    /// The address trimmed and with its country upper-cased, or a 400 problem naming the member at fault.
    /// - Parameter field: The address's JSON path (`shippingAddress`), to which the member's name is added.
    public func validated(field: String) throws -> PostalAddress {
        func text(_ value: String?, _ member: String, required: Bool = true) throws -> String? {
            required
                ? try InputText.required(value ?? "", field: "\(field).\(member)", subject: member, max: Self.maxTextLength)
                : try InputText.optional(value, field: "\(field).\(member)", subject: member, max: Self.maxTextLength)
        }
        // Checked before upper-casing, which turns some other letters (ı, ß) into A–Z.
        let code = country.trimmingWhitespace
        guard code.unicodeScalars.count == 2, code.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("a"..."z").contains($0) }) else {
            throw Problem(
                .invalidField, detail: "country must be an ISO 3166-1 alpha-2 code such as DE, got \"\(self.country)\".", field: "\(field).country")
        }
        return PostalAddress(
            name: try text(name, "name")!,
            line1: try text(line1, "line1")!,
            line2: try text(line2, "line2", required: false),
            city: try text(city, "city")!,
            postalCode: try text(postalCode, "postalCode")!,
            country: code.uppercased()
        )
    }
}
