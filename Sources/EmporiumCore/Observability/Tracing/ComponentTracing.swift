public import Logging
import OTel
public import ServiceLifecycle
public import Tracing

/// A component's tracer and, when its spans are exported, the service that sends them.
///
/// Each component has a backend of its own, even when several run in one process (the embedded
/// platform), so that each span names the component and instance that made it
/// (`service.name`, `service.instance.id`). The exporter is swift-otel's OTLP/HTTP one (ADR 33).
public struct ComponentTracing: Sendable {
    /// The tracer every span of the component is started with.
    public let tracer: ComponentTracer
    /// Sends the spans in batches; runs with the component and stops after it. Nil when nothing
    /// is exported.
    public let exporter: (any Service)?

    /// No export: spans only carry the trace along.
    public static let propagationOnly = ComponentTracing(tracer: .propagationOnly, exporter: nil)

    /// Records the component's spans in `backend` (an in-memory tracer in tests), exporting none.
    public static func recording(in backend: any Tracer) -> ComponentTracing {
        ComponentTracing(tracer: ComponentTracer(backend: backend), exporter: nil)
    }

    private init(tracer: ComponentTracer, exporter: (any Service)?) {
        self.tracer = tracer
        self.exporter = exporter
    }

    /// Makes the component's tracing.
    /// - Parameters:
    ///   - component: Its name, the spans' `service.name`.
    ///   - instance: Which instance of it this is, the spans' `service.instance.id`.
    ///   - settings: Whether and where spans are exported.
    ///   - logger: Where the exporter reports a failed export.
    public init(component: String, instance: String, settings: TracingSettings, logger: Logger) throws {
        guard settings.exports else {
            self = .propagationOnly
            return
        }
        var configuration = OTel.Configuration.default
        configuration.serviceName = component
        configuration.resourceAttributes = ["service.namespace": "emporium", "service.instance.id": instance]
        configuration.diagnosticLogger = .custom(logger)
        configuration.diagnosticLogLevel = .warning
        // Logs and metrics have their own paths (standard error, Prometheus); only traces go here.
        configuration.logs.enabled = false
        configuration.metrics.enabled = false
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        // A collector that is down must not hold shutdown for the default 10 s per export.
        configuration.traces.otlpExporter.timeout = .seconds(3)
        configuration.traces.batchSpanProcessor.exportTimeout = .seconds(3)
        // Larger, more frequent batches than the specification's defaults (2,048 queued, 512 per
        // export every 5 s): a checkout makes about 45 spans, and the default queue overflowed
        // under the checkout benchmark (ADR 33).
        configuration.traces.batchSpanProcessor.scheduleDelay = .seconds(1)
        configuration.traces.batchSpanProcessor.maxQueueSize = 16_384
        configuration.traces.batchSpanProcessor.maxExportBatchSize = 4_096
        if let endpoint = settings.tracesEndpoint { configuration.traces.otlpExporter.endpoint = endpoint }
        configuration.traces.otlpExporter.headers += settings.headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        self.init(tracer: ComponentTracer(backend: backend.factory), exporter: backend.service)
    }
}
