import Foundation
import Hummingbird
import NIOCore

/// An error of the token endpoint, answered with the JSON body RFC 6749 §5.2 prescribes (not a
/// problem document: OAuth clients parse `error`).
struct OAuthError: Error, HTTPResponseError {
    /// The RFC 6749 error code.
    enum Code: String {
        case invalidRequest = "invalid_request"
        case invalidClient = "invalid_client"
        case invalidGrant = "invalid_grant"
        case unauthorizedClient = "unauthorized_client"
        case unsupportedGrantType = "unsupported_grant_type"
        case invalidScope = "invalid_scope"
    }

    var code: Code
    var description: String

    init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }

    var status: HTTPResponse.Status { code == .invalidClient ? .unauthorized : .badRequest }

    /// The body of RFC 6749 §5.2.
    struct Body: Encodable {
        var error: String
        var error_description: String
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = try JSONEncoder().encode(Body(error: code.rawValue, error_description: description))
        var headers: HTTPFields = [.contentType: "application/json", .cacheControl: "no-store"]
        if code == .invalidClient {
            headers[.wwwAuthenticate] = #"Basic realm="emporium-idp""#
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }
}
