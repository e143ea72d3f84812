public import Hummingbird
import ServiceContextModule
import Tracing

/// Serves each request in a server span of its trace, and echoes its request id back.
///
/// A valid incoming `traceparent` and `X-Request-Id` are continued (``ComponentTracer``);
/// otherwise the trace starts here and the request is named by its trace's id: already random
/// and unique, so that logs found by either lead to the other, and no random draw is spent per
/// request (ADR 22). The span is current for the rest of the chain, so that the calls, events and
/// log lines of the request carry it.
public struct RequestMetadataMiddleware<Context: RequestContext>: RouterMiddleware {
    let tracer: ComponentTracer

    /// Creates the middleware.
    /// - Parameter tracer: The component's tracer (whose backend names the component).
    public init(tracer: ComponentTracer = .propagationOnly) {
        self.tracer = tracer
    }

    /// Runs the rest of the chain inside the request's span.
    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var serviceContext = ServiceContext.current ?? .topLevel
        tracer.extract(request.headers, into: &serviceContext, using: HTTPFieldsExtractor())
        let route = context.endpointPath ?? "NotFound"
        let span = tracer.startSpan("\(request.method.rawValue) \(route)", context: serviceContext, ofKind: .server)
        defer { span.end() }
        if span.isRecording { ServerSpanAttributes.describe(span, request: request, route: route) }
        do {
            var response = try await ServiceContext.$current.withValue(span.context) {
                try await next(request, context)
            }
            if let metadata = span.context.requestMetadata { response.headers[.requestID] = metadata.requestID }
            if span.isRecording { ServerSpanAttributes.describe(span, status: response.status.code) }
            return response
        } catch {
            if span.isRecording { ServerSpanAttributes.describe(span, status: (error as? any HTTPResponseError)?.status.code ?? 500) }
            throw error
        }
    }
}
