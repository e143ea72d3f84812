public import Hummingbird

/// Applies the configured body-size limit to every request, or an upload route's own.
///
/// A declared `Content-Length` over the limit is refused before any byte is read; a chunked body
/// is refused when collecting it passes the limit.
public struct RequestLimitsMiddleware: RouterMiddleware {
    /// The request context this middleware works with.
    public typealias Context = EmporiumRequestContext

    let maxRequestBodyBytes: Int
    let uploads: [UploadRoute]

    /// Creates the middleware.
    /// - Parameters:
    ///   - maxRequestBodyBytes: The largest body accepted, in bytes.
    ///   - uploads: Routes with a limit of their own.
    public init(maxRequestBodyBytes: Int, uploads: [UploadRoute] = []) {
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.uploads = uploads
    }

    /// Refuses an oversized declared body, and otherwise passes the limit down in the context.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let maxRequestBodyBytes = uploads.first { $0.matches(request) }?.maxBodyBytes ?? maxRequestBodyBytes
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxRequestBodyBytes {
            throw Problem(.bodyTooLarge, detail: "The body is \(declared) bytes; the limit is \(maxRequestBodyBytes).")
        }
        var context = context
        context.maxRequestBodyBytes = maxRequestBodyBytes
        return try await next(request, context)
    }
}
