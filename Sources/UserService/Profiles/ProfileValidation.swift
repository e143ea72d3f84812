import Contracts
import EmporiumCore

/// The rules of profile input; each failure is a 400 problem naming the field.
enum ProfileValidation {
    static let maxAddresses = 10
    static let maxTextLength = 200

    static func name(_ name: String, field: String = "name") throws -> String {
        let trimmed = name.trimmingWhitespace
        guard !trimmed.isEmpty else { throw Problem(.invalidField, detail: "The name must not be empty.", field: field) }
        guard trimmed.count <= 100 else { throw Problem(.invalidField, detail: "The name must be at most 100 characters long.", field: field) }
        guard !trimmed.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw Problem(.invalidField, detail: "The name must not contain control characters.", field: field)
        }
        return trimmed
    }

    static func registration(_ registration: Registration) throws -> Registration {
        if let problem = CredentialPolicy.emailProblem(registration.email) {
            throw Problem(.invalidField, detail: "The email \(problem).", field: "email")
        }
        if let problem = CredentialPolicy.passwordProblem(registration.password, email: registration.email) {
            throw Problem(.invalidField, detail: "The password \(problem).", field: "password")
        }
        return Registration(email: registration.email.lowercased(), password: registration.password, name: try name(registration.name))
    }

    static func addresses(_ addresses: [PostalAddress]) throws -> [PostalAddress] {
        guard addresses.count <= maxAddresses else {
            throw Problem(.invalidField, detail: "At most \(maxAddresses) shipping addresses can be saved.", field: "shippingAddresses")
        }
        return try addresses.enumerated().map { index, address in try self.address(address, field: "shippingAddresses[\(index)]") }
    }

    /// Checks one address; `field` is its JSON path, to which the member's name is added.
    static func address(_ address: PostalAddress, field: String) throws -> PostalAddress {
        func text(_ value: String?, _ member: String, required: Bool = true) throws -> String? {
            let trimmed = value?.trimmingWhitespace ?? ""
            if trimmed.isEmpty {
                if required { throw Problem(.invalidField, detail: "\(member) must not be empty.", field: "\(field).\(member)") }
                return nil
            }
            guard trimmed.count <= maxTextLength else {
                throw Problem(.invalidField, detail: "\(member) must be at most \(maxTextLength) characters long.", field: "\(field).\(member)")
            }
            return trimmed
        }
        let country = address.country.trimmingWhitespace.uppercased()
        guard country.count == 2, country.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) }) else {
            throw Problem(.invalidField, detail: "country must be an ISO 3166-1 alpha-2 code such as DE, got \"\(address.country)\".", field: "\(field).country")
        }
        return PostalAddress(
            name: try text(address.name, "name")!,
            line1: try text(address.line1, "line1")!,
            line2: try text(address.line2, "line2", required: false),
            city: try text(address.city, "city")!,
            postalCode: try text(address.postalCode, "postalCode")!,
            country: country
        )
    }
}
