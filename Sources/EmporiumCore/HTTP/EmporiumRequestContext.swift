public import Foundation
public import Hummingbird
import NIOCore

/// The request context every Emporium component uses.
///
/// It carries the body-size limit that ``RequestLimitsMiddleware`` sets from configuration, so that
/// Hummingbird's own body collection and ``Request/decodeJSON(as:context:)`` both honour it.
public struct EmporiumRequestContext: RequestContext {
    /// Hummingbird's per-request storage.
    public var coreContext: CoreRequestContextStorage
    /// The largest request body, in bytes, this request may carry.
    public var maxRequestBodyBytes: Int
    /// The client's IP address, as the connection shows it.
    public let remoteAddress: String?
    /// Who the request acts for, once ``AuthenticationMiddleware`` has verified its token.
    public var principal: Principal?

    /// Creates the context for a new request.
    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.maxRequestBodyBytes = HTTPServerSettings.defaultMaxRequestBodyBytes
        self.remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// Hummingbird's limit for collecting a body.
    public var maxUploadSize: Int { maxRequestBodyBytes }

    /// Responses encode dates as ISO 8601, the format every client parses.
    public var responseEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }

    /// Requests decode dates as ISO 8601.
    public var requestDecoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
