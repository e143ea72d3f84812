public import ServiceContextModule

/// What identifies the work in hand: the request's id and the span it runs in.
///
/// ``ComponentTracer`` sets it in the context of every span it starts, so that it travels in the
/// task's `ServiceContext`: the outbound HTTP client, the outbox and the log lines
/// (``Logging/Logger/MetadataProvider/traceCorrelation``) read it without every function taking
/// it as a parameter.
public struct RequestMetadata: Sendable, Hashable {
    /// The client's `X-Request-Id`, or else the id of the trace it started.
    public var requestID: String
    /// The current span: what a callee or an event names as its parent.
    public var traceParent: TraceParent

    /// Creates the metadata.
    public init(requestID: String, traceParent: TraceParent) {
        self.requestID = requestID
        self.traceParent = traceParent
    }

    /// The metadata of the request the current task serves, if any.
    public static var current: RequestMetadata? { ServiceContext.current?.requestMetadata }
}

extension ServiceContext {
    /// The request metadata stored in this context.
    public var requestMetadata: RequestMetadata? {
        get { self[RequestMetadataKey.self] }
        set { self[RequestMetadataKey.self] = newValue }
    }
}

private enum RequestMetadataKey: ServiceContextKey {
    typealias Value = RequestMetadata
    static var nameOverride: String? { "emporium.request" }
}
