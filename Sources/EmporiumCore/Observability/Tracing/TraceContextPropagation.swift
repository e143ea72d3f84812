import Instrumentation
import ServiceContextModule

/// Carries the trace and the request id across process boundaries as W3C `traceparent` and
/// `X-Request-Id`: HTTP headers, and the `traceparent` attribute of an event's envelope.
///
/// ``ComponentTracer`` propagates through it whichever backend records its spans, so that the
/// ids a log line, an event and a downstream call carry are always the ones of the span that
/// made them.
enum TraceContextPropagation {
    /// The header/extension names it reads and writes.
    enum Key {
        /// W3C Trace Context.
        static let traceparent = "traceparent"
        /// The request id.
        static let requestID = "x-request-id"
    }

    /// Reads what a caller sent: its span, to continue the trace in, and its request id.
    static func extract<Carrier, Extract>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract)
    where Extract: Extractor, Extract.Carrier == Carrier {
        let parent = extractor.extract(key: Key.traceparent, from: carrier).flatMap(TraceParent.init(header:))
        let requestID = extractor.extract(key: Key.requestID, from: carrier).flatMap(acceptableRequestID)
        guard parent != nil || requestID != nil else { return }
        context.incomingTrace = IncomingTrace(parent: parent, requestID: requestID)
    }

    /// Writes the current span as the callee's parent, and the request id.
    static func inject<Carrier, Inject>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject)
    where Inject: Injector, Inject.Carrier == Carrier {
        guard let metadata = context.requestMetadata else { return }
        injector.inject(metadata.traceParent.description, forKey: Key.traceparent, into: &carrier)
        injector.inject(metadata.requestID, forKey: Key.requestID, into: &carrier)
    }

    /// Keeps a caller's id only when it is short printable ASCII, so that logs cannot be forged with it.
    static func acceptableRequestID(_ value: String) -> String? {
        guard (1...128).contains(value.utf8.count), value.utf8.allSatisfy({ $0 > 32 && $0 < 127 }) else { return nil }
        return value
    }
}

/// What a caller sent, read by ``TraceContextPropagation`` and used by the next span started.
struct IncomingTrace: Sendable, Hashable {
    /// The caller's span, when it sent a valid `traceparent`.
    var parent: TraceParent?
    /// The caller's request id, when it sent an acceptable one.
    var requestID: String?
}

extension ServiceContext {
    /// What a caller sent, until a span continues it.
    var incomingTrace: IncomingTrace? {
        get { self[IncomingTraceKey.self] }
        set { self[IncomingTraceKey.self] = newValue }
    }
}

private enum IncomingTraceKey: ServiceContextKey {
    typealias Value = IncomingTrace
    static var nameOverride: String? { "emporium.incoming-trace" }
}
