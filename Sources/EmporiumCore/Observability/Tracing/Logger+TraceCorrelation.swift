public import Logging
import ServiceContextModule

extension Logger.MetadataProvider {
    /// Puts the current span's ids and the request id on every log line written inside a span:
    /// `trace_id` and `span_id` (as OpenTelemetry's log correlation names them) and `request-id`.
    ///
    /// Read when a line is written, so that lines of background work (a consumer's event, a
    /// dispatcher's retry) carry them as a request's lines do, and no request pays for lines it
    /// never writes.
    public static let traceCorrelation = Logger.MetadataProvider {
        guard let metadata = ServiceContext.current?.requestMetadata else { return [:] }
        return [
            "trace_id": "\(metadata.traceParent.traceID)",
            "span_id": "\(metadata.traceParent.spanID)",
            "request-id": "\(metadata.requestID)",
        ]
    }
}
