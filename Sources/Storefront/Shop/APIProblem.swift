import EmporiumClient
import Foundation
import HTTPTypes
import OpenAPIRuntime

/// An error answer of the public API, read from its problem document (RFC 9457): what the
/// storefront turns into a message on the form it belongs to.
struct APIProblem: Error, Sendable, Equatable {
    /// The answer's status.
    var status: Int
    /// The problem's type URI's last segment (`out-of-stock`, `validation-failed`…).
    var type: String
    /// The sentence the API wrote for people.
    var detail: String
    /// The input at fault, when the API names one (`name`, `items[0].quantity`).
    var field: String?
}

/// Turns every error answer of the API into a thrown ``APIProblem``, so that a call site handles
/// its success and lets one place decide what the visitor sees for the rest.
struct ProblemsAsErrors: ClientMiddleware {
    /// A problem document larger than this is not read.
    static let maxProblemBytes = 64 * 1024

    func intercept(
        _ request: HTTPRequest,
        body: HTTPBody?,
        baseURL: URL,
        operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let (response, responseBody) = try await next(request, body, baseURL)
        guard response.status.code >= 400 else { return (response, responseBody) }
        var bytes = Data()
        if let responseBody { bytes = try await Data(collecting: responseBody, upTo: Self.maxProblemBytes) }
        throw Self.problem(status: response.status.code, body: bytes)
    }

    /// The problem an error answer states, or one naming only its status.
    static func problem(status: Int, body: Data) -> APIProblem {
        struct Document: Decodable {
            var type: String?
            var detail: String?
            var field: String?
        }
        let document = try? JSONDecoder().decode(Document.self, from: body)
        return APIProblem(
            status: status,
            type: document?.type.map { String($0.split(separator: "/").last ?? "") } ?? "",
            detail: document?.detail ?? "The shop answered \(status).",
            field: document?.field
        )
    }
}

extension Error {
    /// The API problem behind an error the generated client threw, if that is what it is.
    var apiProblem: APIProblem? {
        if let problem = self as? APIProblem { return problem }
        if let client = self as? ClientError { return client.underlyingError as? APIProblem }
        return nil
    }
}
