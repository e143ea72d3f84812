import Foundation
public import Hummingbird
public import NIOCore

extension Request {
    /// Decodes a JSON body, refusing other media types and naming the field at fault on failure.
    ///
    /// Unlike Hummingbird's `decode(as:context:)`, the errors this throws are ``Problem``s whose
    /// `field` is the JSON path of the bad value (`items[0].quantity`).
    public func decodeJSON<Body: Decodable>(as type: Body.Type, context: EmporiumRequestContext) async throws -> Body {
        try decodeJSON(try await body.collect(upTo: context.maxRequestBodyBytes), as: type, context: context)
    }

    /// Decodes `buffer`, this request's body collected already (by ``IdempotentRequests``), as
    /// ``decodeJSON(as:context:)`` does.
    public func decodeJSON<Body: Decodable>(_ buffer: ByteBuffer, as type: Body.Type, context: EmporiumRequestContext) throws -> Body {
        if let contentType = headers[.contentType], !Self.isJSON(contentType) {
            throw Problem(.unsupportedMediaType, detail: "The body must be application/json, not \(contentType).")
        }
        guard buffer.readableBytes > 0 else {
            throw Problem(.malformedBody, detail: "The request needs a JSON body.")
        }
        do {
            return try context.requestDecoder.decode(Body.self, from: Data(buffer.readableBytesView))
        } catch let error as DecodingError {
            throw error.problem
        }
    }

    private static func isJSON(_ contentType: String) -> Bool {
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first?.lowercased().filter { $0 != " " } ?? ""
        return mediaType == "application/json" || mediaType.hasSuffix("+json")
    }
}
