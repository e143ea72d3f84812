import Contracts
import EmporiumCore
import Hummingbird

/// The rules of profile input; each failure is a 400 problem naming the field.
enum ProfileValidation {
    static let maxAddresses = 10

    static func name(_ name: String, field: String = "name") throws -> String {
        try InputText.required(name, field: field, subject: "The name", max: 100)
    }

    static func registration(_ registration: Registration) throws -> Registration {
        if let problem = CredentialPolicy.emailProblem(registration.email) {
            throw Problem(.invalidField, detail: "The email \(problem).", field: "email")
        }
        // The document's own lengths (`minLength`, `maxLength`, in scalars) are a 400 like any
        // field's; the policy's finer ones (characters, bytes) are among its 422s below.
        let scalars = registration.password.unicodeScalars.count
        guard scalars >= CredentialPolicy.minimumPasswordLength, scalars <= CredentialPolicy.maximumPasswordBytes else {
            throw Problem(
                .invalidField,
                detail:
                    "The password must be \(CredentialPolicy.minimumPasswordLength) to \(CredentialPolicy.maximumPasswordBytes) characters long.",
                field: "password")
        }
        if let problem = CredentialPolicy.passwordProblem(registration.password, email: registration.email) {
            // Well-formed but refused by the policy: the document's pattern cannot say "4 different
            // characters" or "not the e-mail", so this is a 422, as for the other business rules.
            throw Problem(.weakPassword, detail: "The password \(problem).", field: "password")
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

extension ProblemType {
    /// A registration's password is refused by ``CredentialPolicy``.
    static let weakPassword = ProblemType(slug: "weak-password", title: "The password is too weak", status: .unprocessableContent)
}
