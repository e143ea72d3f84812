public import Hummingbird
import Logging
import ServiceContextModule

/// Gives each request an id and a span in its trace, logs with both, and echoes the id back.
///
/// A valid incoming `X-Request-Id` and `traceparent` are continued (see ``TraceContextPropagation``);
/// otherwise they start here.
public struct RequestMetadataMiddleware<Context: RequestContext>: RouterMiddleware {
    let component: String

    /// Creates the middleware.
    /// - Parameter component: The component name put on every log line of the request.
    public init(component: String) {
        self.component = component
    }

    /// Runs the rest of the chain inside the request's `ServiceContext`.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var serviceContext = ServiceContext.current ?? .topLevel
        TraceContextPropagation().extract(request.headers, into: &serviceContext, using: HTTPFieldsExtractor())
        guard let metadata = serviceContext.requestMetadata else { return try await next(request, context) }
        var context = context
        // In one assignment: swift-log's StreamLogHandler renders all its metadata again on every
        // change, and did so three times per request (ADR 22).
        context.logger.handler.metadata.merge(
            ["component": "\(component)", "request-id": "\(metadata.requestID)", "trace-id": "\(metadata.traceParent.traceID)"]
        ) { _, new in new }
        var response = try await ServiceContext.$current.withValue(serviceContext) {
            try await next(request, context)
        }
        response.headers[.requestID] = metadata.requestID
        return response
    }
}
