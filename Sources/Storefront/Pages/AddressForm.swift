import EmporiumClient
import EmporiumCore

/// A shipping address as the checkout form holds it: what was typed, and beside each field the
/// API refused, its reason. The API is the one judge of an address (its validation and the
/// carrier's); the form only puts each refusal next to the field it names.
struct AddressForm: Sendable {
    private(set) var fields: [FormField]

    /// The form's fields, in the order a postal address is written.
    static let layout: [(name: String, label: String, autocomplete: String, isRequired: Bool, hint: String?)] = [
        ("name", "Full name", "shipping name", true, nil),
        ("line1", "Street and number", "shipping address-line1", true, nil),
        ("line2", "Flat, floor or company", "shipping address-line2", false, "Optional."),
        ("postalCode", "Postal code", "shipping postal-code", true, nil),
        ("city", "City", "shipping address-level2", true, nil),
        ("country", "Country code", "shipping country", true, "Two letters, such as DE or FR."),
    ]

    /// An empty form, or one filled from `values` (a submitted form's fields by name).
    init(values: (String) -> String? = { _ in nil }, form: String = "address") {
        fields = Self.layout.map {
            FormField(
                name: $0.name, label: $0.label, value: values($0.name) ?? "", autocomplete: $0.autocomplete, isRequired: $0.isRequired, hint: $0.hint,
                form: form)
        }
    }

    /// The form filled with a saved address.
    init(_ address: CustomerAPI.Address) {
        let values = [
            "name": address.name, "line1": address.line1, "line2": address.line2 ?? "", "postalCode": address.postalCode,
            "city": address.city, "country": address.country,
        ]
        self.init { values[$0] }
    }

    /// The value of field `name`.
    subscript(_ name: String) -> String { fields.first { $0.name == name }?.value ?? "" }

    /// The address to send to the API.
    var address: CustomerAPI.Address {
        let line2 = self["line2"].trimmingWhitespace
        return CustomerAPI.Address(
            name: self["name"], line1: self["line1"], line2: line2.isEmpty ? nil : line2, city: self["city"], postalCode: self["postalCode"],
            country: self["country"])
    }

    /// Whether any field has an error.
    var hasErrors: Bool { fields.contains { $0.error != nil } }

    /// Puts `problem` beside the field it names (`shippingAddress.postalCode`); false when it
    /// names none of this form's fields.
    mutating func accept(_ problem: APIProblem) -> Bool {
        guard let field = problem.field, field.hasPrefix("shippingAddress") else { return false }
        let name = field.split(separator: ".").dropFirst().first.map(String.init)
        guard let index = fields.firstIndex(where: { $0.name == name }) else {
            // The address as a whole (it cannot be shipped to): the country is what decides that.
            fields[fields.count - 1].error = problem.detail
            return true
        }
        fields[index].error = problem.detail
        return true
    }

    /// A one-line summary ("Ada Lovelace, Unter den Linden 1, 10117 Berlin, DE").
    static func summary(of address: CustomerAPI.Address) -> String {
        [address.name, address.line1, address.line2 ?? "", "\(address.postalCode) \(address.city)", address.country]
            .filter { !$0.trimmingWhitespace.isEmpty }.joined(separator: ", ")
    }
}
