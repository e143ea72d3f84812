import Contracts
import EmporiumCore

/// The rules of profile input; each failure is a 400 problem naming the field.
enum ProfileValidation {
    static let maxAddresses = 10

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
        return try addresses.enumerated().map { index, address in try address.validated(field: "shippingAddresses[\(index)]") }
    }
}
