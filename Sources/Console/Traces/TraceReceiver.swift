import EmporiumCore
import HTTPTypes
import Hummingbird
import NIOCore

/// `POST /v1/traces`: the console's OTLP/HTTP receiver. Components export their spans here in
/// protocol buffers (the embedded platform's default; `OTEL_EXPORTER_OTLP_ENDPOINT` pointed at
/// the console elsewhere), and the console keeps them in its ``TraceStore``.
struct TraceReceiver: Sendable {
    /// The path OTLP/HTTP exporters post traces to.
    static let path = "/v1/traces"
    /// The largest export taken: a batch of 4,096 spans with their attributes fits with room.
    static let maximumBodyBytes = 16 * 1024 * 1024

    let store: TraceStore
    /// The key exports must carry as `Authorization: Bearer …`; nil takes exports from anyone
    /// who reaches the console's port.
    let ingestKey: String?

    /// Keeps the export's spans; answers an empty `ExportTraceServiceResponse` (full success).
    @Sendable func receive(_ request: Request, context: EmporiumRequestContext) async throws -> Response {
        if let ingestKey {
            guard let given = request.headers[.authorization], SecretComparison.equal(given, "Bearer " + ingestKey) else {
                throw Problem(.unauthorized, detail: "Exports to the console carry its ingest key (console.traces.ingest-key) as a bearer token.")
            }
        }
        let type = request.headers[.contentType]?.split(separator: ";").first?.trimmingWhitespace.lowercased()
        guard type == "application/x-protobuf" else {
            throw Problem(
                .unsupportedMediaType,
                detail:
                    "The console takes OTLP/HTTP in protocol buffers (Content-Type: application/x-protobuf), not \(type ?? "a body without a type").")
        }
        if let encoding = request.headers[.contentEncoding], encoding.lowercased() != "identity" {
            throw Problem(.unsupportedMediaType, detail: "The console takes exports uncompressed, not in \(encoding).")
        }
        var request = request
        let body = try await request.collectBody(upTo: Self.maximumBodyBytes)
        let spans: [ReceivedSpan]
        do {
            spans = try OTLPTraceDecoder.spans(in: Array(buffer: body))
        } catch let malformed as ProtobufReader.Malformed {
            throw Problem(.badRequest, detail: "The export is not an OTLP ExportTraceServiceRequest: \(malformed.description).")
        }
        store.add(spans)
        return Response(status: .ok, headers: [.contentType: "application/x-protobuf"], body: ResponseBody())
    }
}
