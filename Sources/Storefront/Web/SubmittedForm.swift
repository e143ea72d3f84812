import EmporiumCore
import Hummingbird

/// An HTML form as the browser sent it (`application/x-www-form-urlencoded`).
struct SubmittedForm: Sendable {
    /// The largest form the storefront reads; its forms are far smaller.
    static let maxBytes = 64 * 1024

    let fields: [String: [String]]

    /// The first value of `name`, if the form has it.
    subscript(_ name: String) -> String? { fields[name]?.first }

    /// Reads the request's form.
    static func read(_ request: Request, context: EmporiumRequestContext) async throws -> SubmittedForm {
        let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingWhitespace.lowercased()
        guard type == "application/x-www-form-urlencoded" else { throw PageError.badRequest("This address takes a submitted form.") }
        var request = request
        let body = try await request.collectBody(upTo: min(maxBytes, context.maxRequestBodyBytes))
        return SubmittedForm(fields: FormEncoding.decode(String(buffer: body)))
    }
}
