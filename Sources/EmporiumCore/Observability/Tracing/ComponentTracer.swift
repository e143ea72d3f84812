public import Instrumentation
import ServiceContextModule
public import Tracing

/// The tracer of one component: every span it starts has a W3C identity that its calls, its
/// events and its log lines carry, whether or not a backend records it.
///
/// Without a backend (no collector configured) it records nothing and only mints span ids, as
/// cheaply as the propagation that came before it. With one (an OTLP exporter, or a test's
/// in-memory tracer) each span is also started there, and its identity is the backend's own, so
/// that what is exported and what is propagated name the same spans (ADR 33).
public struct ComponentTracer: Tracer {
    /// The span type: the backend's span, if any, with the identity beside it.
    public typealias Span = ComponentSpan

    /// Where spans are recorded; nil records none.
    let backend: (any Tracer)?

    /// Creates a tracer recording its spans in `backend`, or nowhere.
    public init(backend: (any Tracer)? = nil) {
        self.backend = backend
    }

    /// A tracer that records nothing and keeps the trace going.
    public static let propagationOnly = ComponentTracer()

    /// Whether spans are recorded: spans whose only use is the recording (a transaction, a
    /// publish) are skipped when it is false.
    public var isRecording: Bool { backend != nil }

    /// Starts a span, continuing the caller's trace when the context carries one.
    public func startSpan<Instant: TracerInstant>(
        _ operationName: String,
        context: @autoclosure () -> ServiceContext,
        ofKind kind: SpanKind,
        at instant: @autoclosure () -> Instant,
        function: String,
        file fileID: String,
        line: UInt
    ) -> ComponentSpan {
        var parent = context()
        let incoming = parent.incomingTrace
        parent.incomingTrace = nil
        let parentSpan = incoming?.parent ?? (incoming == nil ? parent.requestMetadata?.traceParent : nil)
        let requestID = incoming?.requestID ?? (incoming == nil ? parent.requestMetadata?.requestID : nil)
        guard let backend else {
            let identity = parentSpan?.child() ?? .root()
            parent.requestMetadata = RequestMetadata(requestID: requestID ?? identity.traceID, traceParent: identity)
            return ComponentSpan(context: parent, recorded: nil)
        }
        let recorded: any Tracing.Span = backend.startSpan(
            operationName, context: parent, ofKind: kind, at: instant(), function: function, file: fileID, line: line
        )
        var spanContext = recorded.context
        // The backend's own identity when it speaks W3C (OTLP does); else one of ours.
        var carrier: [String: String] = [:]
        backend.inject(spanContext, into: &carrier, using: DictionaryInjector())
        let identity = carrier[TraceContextPropagation.Key.traceparent].flatMap(TraceParent.init(header:)) ?? parentSpan?.child() ?? .root()
        spanContext.incomingTrace = nil
        spanContext.requestMetadata = RequestMetadata(requestID: requestID ?? identity.traceID, traceParent: identity)
        return ComponentSpan(context: spanContext, recorded: recorded)
    }

    /// Runs `work` in a span continuing the trace `traceparent` names: one kept with a row for
    /// work done later (a shipment, an email), so that it joins the trace of the request or event
    /// that asked for it. Without one the span starts a trace of its own.
    public func withSpan<Result>(
        _ operationName: String,
        continuing traceparent: String?,
        ofKind kind: SpanKind = .internal,
        _ work: (ComponentSpan) async throws -> Result
    ) async rethrows -> Result {
        var context = ServiceContext.topLevel
        extract([TraceContextPropagation.Key.traceparent: traceparent ?? ""], into: &context, using: DictionaryExtractor())
        return try await withSpan(operationName, context: context, ofKind: kind) { span in try await work(span) }
    }

    /// Nothing: the exporter's service sends what it holds in batches and at shutdown.
    public func forceFlush() {}

    /// Writes the current span as the callee's parent, and the request id.
    public func inject<Carrier, Inject>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject)
    where Inject: Injector, Inject.Carrier == Carrier {
        TraceContextPropagation.inject(context, into: &carrier, using: injector)
    }

    /// Reads the caller's span and request id, for the next span to continue.
    public func extract<Carrier, Extract>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract)
    where Extract: Extractor, Extract.Carrier == Carrier {
        TraceContextPropagation.extract(carrier, into: &context, using: extractor)
        backend?.extract(carrier, into: &context, using: extractor)
    }
}

/// A span of a ``ComponentTracer``: its context carries the span's ``RequestMetadata``, and what
/// is set on it goes to the backend's span, if one records it.
public struct ComponentSpan: Tracing.Span {
    /// The span's context, for its children and its calls.
    public let context: ServiceContext
    /// The backend's span; nil when nothing records.
    let recorded: (any Tracing.Span)?

    /// The span's identity.
    public var identity: TraceParent? { context.requestMetadata?.traceParent }

    /// The operation's name.
    public var operationName: String {
        get { recorded?.operationName ?? "" }
        nonmutating set { recorded?.operationName = newValue }
    }

    /// The span's attributes (empty when nothing records).
    public var attributes: SpanAttributes {
        get { recorded?.attributes ?? [:] }
        nonmutating set { recorded?.attributes = newValue }
    }

    /// Whether the backend records it.
    public var isRecording: Bool { recorded?.isRecording ?? false }

    /// Sets the status.
    public func setStatus(_ status: SpanStatus) { recorded?.setStatus(status) }

    /// Adds an event.
    public func addEvent(_ event: SpanEvent) { recorded?.addEvent(event) }

    /// Records an error.
    public func recordError<Instant: TracerInstant>(_ error: any Error, attributes: SpanAttributes, at instant: @autoclosure () -> Instant) {
        recorded?.recordError(error, attributes: attributes, at: instant())
    }

    /// Adds a link.
    public func addLink(_ link: SpanLink) { recorded?.addLink(link) }

    /// Ends the span.
    public func end<Instant: TracerInstant>(at instant: @autoclosure () -> Instant) {
        recorded?.end(at: instant())
    }
}
