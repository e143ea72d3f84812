import EmporiumCore
import Foundation
import Hummingbird

/// An HTML form as the browser sends it when it carries a file (`multipart/form-data`, RFC 7578):
/// its text fields and its files, each a part between two boundary lines.
struct MultipartForm: Sendable {
    /// One part: a text field, or a file with the name and type the browser gave it.
    struct Part: Sendable {
        var name: String
        /// The file's name on the sender's machine; nil for a text field.
        var filename: String?
        /// The part's declared type; only a hint, never trusted.
        var contentType: String?
        var bytes: Data
    }

    /// More parts than any storefront form has marks a body that is no form of ours.
    static let maxParts = 16
    /// The largest header block of one part.
    static let maxHeaderBytes = 4096

    let parts: [Part]

    /// The first text field named `name`, as UTF-8 text.
    subscript(_ name: String) -> String? {
        parts.first { $0.name == name && $0.filename == nil }.flatMap { String(data: $0.bytes, encoding: .utf8) }
    }

    /// The first file named `name`; a file input left empty is sent with no name and no bytes,
    /// and counts as no file.
    func file(_ name: String) -> Part? {
        parts.first { $0.name == name && !($0.filename ?? "").isEmpty }
    }

    /// Reads the request's form, up to the route's body limit.
    static func read(_ request: Request, context: EmporiumRequestContext) async throws -> MultipartForm {
        guard let type = request.headers[.contentType], let boundary = boundary(ofContentType: type) else {
            throw PageError.badRequest("This address takes a form with a file (multipart/form-data).")
        }
        var request = request
        let body = try await request.collectBody(upTo: context.maxRequestBodyBytes)
        guard let form = parse(Data(body.readableBytesView), boundary: boundary) else {
            throw PageError.badRequest("The form could not be read: its parts are not separated as multipart/form-data says.")
        }
        return form
    }

    /// The boundary a `multipart/form-data` Content-Type names, or nil for any other type.
    static func boundary(ofContentType value: String) -> String? {
        let parameters = HeaderParameters(value)
        guard parameters.value.lowercased() == "multipart/form-data", let boundary = parameters["boundary"],
            (1...70).contains(boundary.utf8.count)
        else { return nil }
        return boundary
    }

    /// The parts of `body`, or nil when it is not a complete form with that boundary.
    static func parse(_ body: Data, boundary: String) -> MultipartForm? {
        let body = Data(body)  // Indices from zero, whatever slice the caller had.
        let delimiter = Data("\r\n--\(boundary)".utf8)
        let newline = Data("\r\n".utf8)
        // The first boundary line may open the body, without the newline before it.
        let opening = Data("--\(boundary)".utf8)
        guard let first = body.starts(with: opening) ? 0..<opening.count : body.range(of: delimiter) else { return nil }
        var cursor = first.upperBound
        var parts: [Part] = []
        while true {
            if body[cursor...].starts(with: Data("--".utf8)) { return MultipartForm(parts: parts) }
            // Padding may follow a boundary before its line ends.
            while cursor < body.endIndex, body[cursor] == UInt8(ascii: " ") || body[cursor] == UInt8(ascii: "\t") { cursor += 1 }
            guard body[cursor...].starts(with: newline), parts.count < maxParts else { return nil }
            cursor += newline.count
            guard let next = body.range(of: delimiter, in: cursor..<body.endIndex),
                let part = part(body[cursor..<next.lowerBound])
            else { return nil }
            parts.append(part)
            cursor = next.upperBound
        }
    }

    /// One part: its headers, a blank line, its bytes.
    private static func part(_ bytes: Data) -> Part? {
        let blankLine = Data("\r\n\r\n".utf8)
        let headerEnd: Range<Data.Index>
        if bytes.starts(with: Data("\r\n".utf8)) {
            headerEnd = bytes.startIndex..<bytes.startIndex + 2  // A part with no headers has no name: refused below.
        } else {
            guard let end = bytes.range(of: blankLine) else { return nil }
            headerEnd = end
        }
        guard headerEnd.lowerBound - bytes.startIndex <= maxHeaderBytes,
            let headerText = String(data: bytes[bytes.startIndex..<headerEnd.lowerBound], encoding: .utf8)
        else { return nil }
        var disposition: HeaderParameters?
        var contentType: String?
        for line in headerText.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { return nil }
            let value = String(line[line.index(after: colon)...])
            switch line[..<colon].trimmingWhitespace.lowercased() {
            case "content-disposition": disposition = HeaderParameters(value)
            case "content-type": contentType = value.trimmingWhitespace
            default: continue
            }
        }
        guard let disposition, disposition.value.lowercased() == "form-data", let name = disposition["name"] else { return nil }
        return Part(name: name, filename: disposition["filename"], contentType: contentType, bytes: Data(bytes[headerEnd.upperBound...]))
    }
}

/// A header value with parameters, such as `form-data; name="alt"` or
/// `multipart/form-data; boundary=x`: the value, and each parameter by its lower-cased name.
struct HeaderParameters: Sendable {
    var value: String
    private var parameters: [String: String] = [:]

    /// The parameter `name`, unquoted.
    subscript(_ name: String) -> String? { parameters[name.lowercased()] }

    init(_ header: String) {
        var pieces: [String] = []
        var piece = ""
        var quoted = false
        var escaped = false
        // Splits at the semicolons outside quotes; a quoted string keeps its semicolons.
        for character in header {
            if escaped {
                piece.append(character)
                escaped = false
            } else if quoted && character == "\\" {
                escaped = true
            } else if character == "\"" {
                quoted.toggle()
            } else if character == ";" && !quoted {
                pieces.append(piece)
                piece = ""
            } else {
                piece.append(character)
            }
        }
        pieces.append(piece)
        value = pieces.first?.trimmingWhitespace ?? ""
        for parameter in pieces.dropFirst() {
            guard let equals = parameter.firstIndex(of: "=") else { continue }
            let name = parameter[..<equals].trimmingWhitespace.lowercased()
            if parameters[name] == nil { parameters[name] = parameter[parameter.index(after: equals)...].trimmingWhitespace }
        }
    }
}
