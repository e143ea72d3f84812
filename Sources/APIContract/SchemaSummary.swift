/// A one-line reading of a JSON Schema, as the reference page shows it in a table cell:
/// `string (uuid)`, `integer 1–100`, `one of name, price`, a link to a named schema.
struct SchemaSummary {
    /// The schema's type and constraints as HTML, with named schemas as links.
    static func html(_ schema: JSONValue?) -> String {
        guard let schema else { return "" }
        if let reference = schema["$ref"]?.string { return link(reference) }
        var parts: [String] = []
        if let all = schema["allOf"]?.elements, !all.isEmpty { parts.append(all.map(html).joined(separator: " and ")) }
        if let one = schema["oneOf"]?.elements, !one.isEmpty { parts.append(one.map(html).joined(separator: " or ")) }
        if let type = typeName(schema) { parts.append(type) }
        if let format = schema["format"]?.string { parts.append("(\(HTML.escape(format)))") }
        if let constant = schema["const"] { parts.append("= <code>\(HTML.escape(literal(constant)))</code>") }
        if let choices = schema["enum"]?.elements {
            parts.append("one of " + choices.map { "<code>\(HTML.escape(literal($0)))</code>" }.joined(separator: ", "))
        }
        parts.append(contentsOf: ranges(schema))
        if let pattern = schema["pattern"]?.string { parts.append("matching <code>\(HTML.escape(pattern))</code>") }
        if let items = schema["items"], schema["type"]?.string == "array" || typeName(schema)?.hasPrefix("array") == true {
            parts.append("of " + html(items))
        }
        if let defaultValue = schema["default"] { parts.append("default <code>\(HTML.escape(literal(defaultValue)))</code>") }
        return parts.joined(separator: " ")
    }

    /// The link to a named schema of the document.
    static func link(_ reference: String) -> String {
        let name = reference.split(separator: "/").last.map(String.init) ?? reference
        return ##"<a href="#schema-\##(HTML.escape(name))">\##(HTML.escape(name))</a>"##
    }

    private static func typeName(_ schema: JSONValue) -> String? {
        switch schema["type"] {
        case .string(let type)?: return type
        case .array(let types)?: return types.compactMap(\.string).joined(separator: " or ")
        default: return nil
        }
    }

    private static func ranges(_ schema: JSONValue) -> [String] {
        func bound(_ name: String) -> String? {
            switch schema[name] {
            case .integer(let value)?: return String(value)
            case .number(let value)?: return String(value)
            default: return nil
            }
        }
        var parts: [String] = []
        for (lower, upper, unit) in [("minimum", "maximum", ""), ("minLength", "maxLength", " characters"), ("minItems", "maxItems", " items")] {
            switch (bound(lower), bound(upper)) {
            case (let low?, let high?): parts.append("\(low)–\(high)\(unit)")
            case (let low?, nil): parts.append("at least \(low)\(unit)")
            case (nil, let high?): parts.append("at most \(high)\(unit)")
            case (nil, nil): break
            }
        }
        if schema["uniqueItems"] == .bool(true) { parts.append("each once") }
        return parts
    }

    /// A scalar as it is written in JSON.
    static func literal(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool(let value): String(value)
        case .integer(let value): String(value)
        case .number(let value): String(value)
        case .string(let value): value
        case .array, .object: JSONText.pretty(value)
        }
    }
}
