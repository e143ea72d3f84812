package import Foundation
public import Hummingbird

/// An RFC 9457 problem: the one shape every Emporium component answers errors with.
///
/// `type` is stable per kind of error (see ``ProblemType``) so that clients can branch on it;
/// `detail` is written for the person reading it and names the offending input where there is one.
public struct Problem: Error, HTTPResponseError, Sendable {
    /// The kind of problem, which fixes `type`, `title` and `status`.
    public var kind: ProblemType
    /// A human-readable explanation specific to this occurrence.
    public var detail: String?
    /// The request input at fault, as a JSON path (`items[0].quantity`) or a parameter name.
    public var field: String?
    /// Extra headers the response must carry (`Allow` on a 405, `Retry-After` on a 503).
    public var headers: HTTPFields

    /// Creates a problem of `kind`.
    /// - Parameters:
    ///   - kind: The stable kind of problem.
    ///   - detail: What went wrong this time, for a person.
    ///   - field: The input at fault, if any.
    ///   - headers: Headers to add to the response.
    public init(_ kind: ProblemType, detail: String? = nil, field: String? = nil, headers: HTTPFields = [:]) {
        self.kind = kind
        self.detail = detail
        self.field = field
        self.headers = headers
    }

    /// The HTTP status of the response.
    public var status: HTTPResponse.Status { kind.status }

    /// Renders the problem as `application/problem+json`, with the request path as `instance`.
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        try document(instance: request.uri.path, requestID: RequestMetadata.current?.requestID ?? request.headers[.requestID])
            .response(status: kind.status, headers: headers)
    }

    /// The problem's document for a request to `instance` named `requestID`.
    package func document(instance: String, requestID: String?) -> ProblemDocument {
        ProblemDocument(
            type: kind.uri, title: kind.title, status: kind.status.code, detail: detail, instance: instance, field: field,
            requestId: requestID)
    }
}

/// The JSON body of a problem response (RFC 9457 members plus Emporium's extensions).
public struct ProblemDocument: Codable, Sendable, Equatable {
    /// A URI naming the kind of problem.
    public var type: String
    /// A short summary that is the same for every occurrence of the type.
    public var title: String
    /// The HTTP status code.
    public var status: Int
    /// An explanation of this occurrence.
    public var detail: String?
    /// The request path the problem occurred on.
    public var instance: String?
    /// Extension: the input at fault.
    public var field: String?
    /// Extension: the request id, to find the request in the logs.
    public var requestId: String?

    /// The media type of problem documents.
    public static let mediaType = "application/problem+json"

    func response(status: HTTPResponse.Status, headers extraHeaders: HTTPFields) throws -> Response {
        let body = try encoded()
        var headers = extraHeaders
        headers[.contentType] = Self.mediaType
        headers[.contentLength] = String(body.count)
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body)))
    }

    /// The document as the JSON every problem response carries.
    package func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }
}
