/// One labelled input of a form, as the `field` template draws it: what was typed, a hint, and
/// the API's refusal beside it when there is one (with `aria-invalid` and `aria-describedby`,
/// so that a screen reader reads the reason with the field).
struct FormField: Sendable {
    /// The form field's name, which is also the API's (`postalCode`).
    var name: String
    var label: String
    var value: String
    /// The input's `autocomplete` token, so that browsers fill it in.
    var autocomplete: String
    var isRequired: Bool
    var hint: String?
    var error: String?
    /// The input's `type` (`text`, `email`, `password`, `file`).
    var type: String = "text"
    /// The types a file input offers to choose (`image/png,image/jpeg`).
    var accept: String? = nil
    /// A `<textarea>` rather than an `<input>`.
    var multiline: Bool = false
    /// Prefixes the element ids, so that two forms on one page keep them apart.
    var form: String = "address"
    /// A password field never shows what was typed again; a file input has no typed value.
    var keepsValue: Bool { type != "password" && type != "file" }
    /// The input's id.
    var id: String { "\(form)-\(name)" }
}
