public import EmporiumCore
import HTTPTypes
public import Hummingbird

/// The headers every web page's response carries: a Content-Security-Policy that allows only the
/// site's own scripts, styles and images (no inline script) and no framing, and the headers that
/// stop content sniffing and leaking addresses to other sites.
public struct SecurityHeaders: RouterMiddleware {
    public typealias Context = EmporiumRequestContext

    /// The policy: the site's own scripts, styles, images, forms and connections only.
    public let contentSecurityPolicy =
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    /// The headers on every response.
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = contentSecurityPolicy
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "same-origin"
        response.headers[.xFrameOptions] = "DENY"
        return response
    }
}

extension HTTPField.Name {
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
}
