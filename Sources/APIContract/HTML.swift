import Foundation

/// The small part of HTML the reference page needs: escaping, and the document's descriptions
/// (paragraphs, lists, `code` and **bold**, the subset of CommonMark it is written in).
enum HTML {
    /// Text made safe to place in an element or an attribute.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A description as paragraphs and lists.
    static func prose(_ text: String?) -> String {
        guard let text, !text.isEmpty else { return "" }
        var blocks: [String] = []
        for block in text.components(separatedBy: "\n\n") {
            let lines = block.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            if !lines.isEmpty, lines.allSatisfy({ $0.hasPrefix("- ") }) {
                blocks.append("<ul>" + lines.map { "<li>\(inline(String($0.dropFirst(2))))</li>" }.joined() + "</ul>")
            } else if !lines.isEmpty {
                blocks.append("<p>\(inline(lines.joined(separator: " ")))</p>")
            }
        }
        return blocks.joined(separator: "\n")
    }

    /// One line with its `code` spans and **bold** runs marked up.
    static func inline(_ text: String) -> String {
        var html = ""
        var inCode = false
        var inBold = false
        var rest = Substring(text)
        while let character = rest.first {
            if character == "`" {
                html += inCode ? "</code>" : "<code>"
                inCode.toggle()
                rest = rest.dropFirst()
            } else if !inCode, rest.hasPrefix("**") {
                html += inBold ? "</strong>" : "<strong>"
                inBold.toggle()
                rest = rest.dropFirst(2)
            } else {
                html += escape(String(character))
                rest = rest.dropFirst()
            }
        }
        if inCode { html += "</code>" }
        if inBold { html += "</strong>" }
        return html
    }
}

/// JSON text for the page's examples.
enum JSONText {
    /// `value` indented, keys sorted.
    static func pretty(_ value: JSONValue) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
