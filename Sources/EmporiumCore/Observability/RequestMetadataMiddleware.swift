public import Hummingbird
import ServiceContextModule
import Tracing

/// Serves each request in a server span of its trace, and echoes its request id back.
///
/// A valid incoming `traceparent` and `X-Request-Id` are continued (``ComponentTracer``);
/// otherwise the trace starts here and the request is named by its trace's id: already random
/// and unique, so that logs found by either lead to the other, and no random draw is spent per
/// request (ADR 22). The span is current for the rest of the chain, so that the calls, events and
/// log lines of the request carry it. Probes (`/health/…`, `/metrics`) get a request id and a
/// trace too, but their spans are not recorded: the console and the gateway ask for them every
/// second, and their traces would bury the platform's own in every trace store.
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
        // A probe is answered with a request id, but its span is recorded nowhere and is not
        // current: the calls it makes (the gateway asking its upstreams) are not traced either.
        let isProbe = Self.isProbe(route)
        let span = (isProbe ? ComponentTracer.propagationOnly : tracer).startSpan(
            "\(request.method.rawValue) \(route)", context: serviceContext, ofKind: .server)
        defer { span.end() }
        if span.isRecording {
            ServerSpanAttributes.describe(span, request: request, route: route)
            if let metadata = span.context.requestMetadata { ServerSpanAttributes.describe(span, requestID: metadata.requestID) }
        }
        do {
            var response =
                try await isProbe
                ? next(request, context)
                : ServiceContext.$current.withValue(span.context) { try await next(request, context) }
            if let metadata = span.context.requestMetadata { response.headers[.requestID] = metadata.requestID }
            if span.isRecording { ServerSpanAttributes.describe(span, status: response.status.code) }
            return response
        } catch {
            if span.isRecording { ServerSpanAttributes.describe(span, status: (error as? any HTTPResponseError)?.status.code ?? 500) }
            throw error
        }
    }

    /// Whether `route` is one of the health or metrics routes every component answers.
    static func isProbe(_ route: String) -> Bool {
        route.hasPrefix("/health/") || route == "/metrics"
    }
}
