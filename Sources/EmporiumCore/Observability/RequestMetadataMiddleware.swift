public import Hummingbird
import Logging
import ServiceContextModule

/// Gives each request an id and a span in its trace, logs with both, and echoes the id back.
///
/// A valid incoming `X-Request-Id` and `traceparent` are continued; otherwise they start here.
public struct RequestMetadataMiddleware<Context: RequestContext>: RouterMiddleware {
    let component: String

    /// Creates the middleware.
    /// - Parameter component: The component name put on every log line of the request.
    public init(component: String) {
        self.component = component
    }

    /// Runs the rest of the chain inside the request's `ServiceContext`.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let requestID = request.headers[.requestID].flatMap(Self.acceptableRequestID) ?? context.id
        let span = request.headers[.traceparent].flatMap(TraceParent.init(header:))?.child() ?? .root()
        var context = context
        context.logger[metadataKey: "component"] = "\(component)"
        context.logger[metadataKey: "request-id"] = "\(requestID)"
        context.logger[metadataKey: "trace-id"] = "\(span.traceID)"

        var serviceContext = ServiceContext.current ?? .topLevel
        serviceContext.requestMetadata = RequestMetadata(requestID: requestID, traceParent: span)
        var response = try await ServiceContext.$current.withValue(serviceContext) {
            try await next(request, context)
        }
        response.headers[.requestID] = requestID
        return response
    }

    /// Keeps a client's id only when it is short printable ASCII, so logs cannot be forged with it.
    static func acceptableRequestID(_ value: String) -> String? {
        guard (1...128).contains(value.utf8.count),
            value.utf8.allSatisfy({ $0 > 32 && $0 < 127 })
        else { return nil }
        return value
    }
}
