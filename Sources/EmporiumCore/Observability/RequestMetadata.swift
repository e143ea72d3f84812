public import ServiceContextModule

/// What identifies the request being served: its id and its place in the trace.
///
/// It travels in the task's `ServiceContext`, so that the outbound HTTP client (and later the
/// event publisher) can pass it on without every function taking it as a parameter.
public struct RequestMetadata: Sendable, Hashable {
    /// The client's `X-Request-Id`, or one minted at the edge.
    public var requestID: String
    /// The span this component is serving the request in.
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
