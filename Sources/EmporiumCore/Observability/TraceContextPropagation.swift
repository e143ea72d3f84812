public import Instrumentation
import ServiceContextModule

/// Carries ``RequestMetadata`` across process boundaries as W3C `traceparent` and `X-Request-Id`.
///
/// It is a swift-distributed-tracing `Instrument`, so every boundary (HTTP headers now, event
/// envelopes next) propagates through the same extract/inject calls, and a real tracer can take
/// its place once spans are exported.
public struct TraceContextPropagation: Instrument {
    /// The header/extension names it reads and writes.
    public enum Key {
        /// W3C Trace Context.
        public static let traceparent = "traceparent"
        /// The request id.
        public static let requestID = "x-request-id"
    }

    /// Creates the instrument.
    public init() {}

    /// Continues the caller's trace in a new span, or starts one, and keeps a usable request id.
    ///
    /// Without one, the request is named by its trace's id: already random and unique (a trace
    /// id, W3C Trace Context), so logs found by either lead to the other, and no random draw is
    /// spent per request or per consumed event (ADR 22).
    public func extract<Carrier, Extract>(_ carrier: Carrier, into context: inout ServiceContext, using extractor: Extract)
    where Extract: Extractor, Extract.Carrier == Carrier {
        let span = extractor.extract(key: Key.traceparent, from: carrier).flatMap(TraceParent.init(header:))?.child() ?? .root()
        let requestID = extractor.extract(key: Key.requestID, from: carrier).flatMap(Self.acceptableRequestID)
        context.requestMetadata = RequestMetadata(requestID: requestID ?? span.traceID, traceParent: span)
    }

    /// Writes the current span as the callee's parent, and the request id.
    public func inject<Carrier, Inject>(_ context: ServiceContext, into carrier: inout Carrier, using injector: Inject)
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
