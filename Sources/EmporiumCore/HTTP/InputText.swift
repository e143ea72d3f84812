/// The one rule for free text a client sends (names, addresses, descriptions), written so that
/// the OpenAPI document's `Text` pattern says exactly the same: trimmed of white space, not
/// empty, no longer than a limit counted in Unicode scalars (as JSON Schema's `maxLength`
/// counts), and without control characters or U+FEFF.
public enum InputText {
    /// `value` trimmed, or a 400 problem naming `field`.
    /// - Parameters:
    ///   - value: The text as sent.
    ///   - field: The JSON path of the field, for the problem's `field`.
    ///   - subject: How the detail names it (`The name`, `line1`).
    ///   - max: The most scalars it may have once trimmed.
    public static func required(_ value: String, field: String, subject: String, max: Int) throws -> String {
        guard let text = try optional(value, field: field, subject: subject, max: max) else {
            throw Problem(.invalidField, detail: "\(subject) must not be empty.", field: field)
        }
        return text
    }

    /// `value` trimmed, nil when nothing is left, or a 400 problem naming `field`.
    public static func optional(_ value: String?, field: String, subject: String, max: Int) throws -> String? {
        let trimmed = value?.trimmingWhitespace ?? ""
        guard !trimmed.isEmpty else { return nil }
        guard trimmed.unicodeScalars.count <= max else {
            throw Problem(.invalidField, detail: "\(subject) must be at most \(max) characters long.", field: field)
        }
        guard !trimmed.unicodeScalars.contains(where: isForbidden) else {
            throw Problem(.invalidField, detail: "\(subject) must not contain control characters.", field: field)
        }
        return trimmed
    }

    /// Whether a scalar may never appear in text: a C0 or C1 control, or the byte-order mark
    /// (which some regular-expression dialects count as white space and others do not).
    public static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || scalar == "\u{FEFF}"
    }
}
