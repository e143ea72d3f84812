public import HTTPTypes

/// A stable kind of error, with the `type` URI, title and status that every occurrence shares.
///
/// The catalogue lives here, in one place, so that a client can rely on a `type` never changing
/// meaning. Services add their own kinds as static members in extensions.
public struct ProblemType: Sendable, Hashable {
    /// The last segment of the `type` URI (`urn:emporium:problem:<slug>`).
    public let slug: String
    /// The summary shared by every occurrence.
    public let title: String
    /// The HTTP status.
    public let status: HTTPResponse.Status

    /// Declares a kind of problem.
    public init(slug: String, title: String, status: HTTPResponse.Status) {
        self.slug = slug
        self.title = title
        self.status = status
    }

    /// The RFC 9457 `type` member.
    ///
    /// A URN rather than an http URL: the type is an identifier, and no page is promised at it.
    public var uri: String { "urn:emporium:problem:\(slug)" }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.slug == rhs.slug }
    public func hash(into hasher: inout Hasher) { hasher.combine(slug) }
}

extension ProblemType {
    /// The body is not well-formed JSON.
    public static let malformedBody = ProblemType(slug: "malformed-body", title: "The request body is not valid JSON", status: .badRequest)
    /// A field is missing or has the wrong type or value.
    public static let invalidField = ProblemType(slug: "invalid-field", title: "A field of the request is invalid", status: .badRequest)
    /// A query or path parameter is invalid.
    public static let invalidParameter = ProblemType(slug: "invalid-parameter", title: "A parameter of the request is invalid", status: .badRequest)
    /// A request the server cannot interpret for another reason.
    public static let badRequest = ProblemType(slug: "bad-request", title: "The request cannot be processed", status: .badRequest)
    /// No route or resource at this path.
    public static let notFound = ProblemType(slug: "not-found", title: "Not found", status: .notFound)
    /// The path exists but not with this method.
    public static let methodNotAllowed = ProblemType(slug: "method-not-allowed", title: "Method not allowed", status: .methodNotAllowed)
    /// The body is larger than the configured limit.
    public static let bodyTooLarge = ProblemType(slug: "body-too-large", title: "The request body is too large", status: .contentTooLarge)
    /// The body's media type is not one the route accepts.
    public static let unsupportedMediaType = ProblemType(
        slug: "unsupported-media-type",
        title: "Unsupported media type",
        status: .unsupportedMediaType
    )
    /// An upstream component answered with something that is not a valid response.
    public static let badGateway = ProblemType(slug: "bad-gateway", title: "An upstream component failed", status: .badGateway)
    /// An upstream component, or this one, cannot take requests right now.
    public static let serviceUnavailable = ProblemType(
        slug: "service-unavailable",
        title: "A component is unavailable",
        status: .serviceUnavailable
    )
    /// An upstream component did not answer in time.
    public static let gatewayTimeout = ProblemType(slug: "gateway-timeout", title: "An upstream component timed out", status: .gatewayTimeout)
    /// Anything unexpected; its detail never leaks internals.
    public static let internalError = ProblemType(slug: "internal-error", title: "Internal server error", status: .internalServerError)

    /// A kind for a status that has no dedicated kind, so that every status still gets a problem body.
    public static func generic(_ status: HTTPResponse.Status) -> ProblemType {
        ProblemType(slug: "http-\(status.code)", title: status.reasonPhrase, status: status)
    }
}
