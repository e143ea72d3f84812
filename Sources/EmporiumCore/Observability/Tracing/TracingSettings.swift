import Foundation

/// Whether a component exports its spans, read from OpenTelemetry's standard variables.
///
/// Spans are exported only when an operator asks for it: an OTLP endpoint
/// (`OTEL_EXPORTER_OTLP_ENDPOINT` or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) or an explicit
/// `OTEL_TRACES_EXPORTER` (`otlp`, `console`). `OTEL_SDK_DISABLED=true` or
/// `OTEL_TRACES_EXPORTER=none` turns it off. Everything else that swift-otel reads (headers,
/// sampler, batch sizes, resource attributes, timeouts) is left to it, after the values it would
/// stop the process on have been refused here with a sentence naming them.
public struct TracingSettings: Sendable, Equatable {
    /// Whether spans are exported at all.
    public var exports: Bool
    /// Where OTLP/HTTP exports go, as a whole URL (`…/v1/traces`); nil leaves it to swift-otel's
    /// reading of the environment.
    public var tracesEndpoint: String?
    /// Headers every export carries (the console's ingest key), beside `OTEL_EXPORTER_OTLP_HEADERS`.
    public var headers: [String: String] = [:]
    /// Whether the environment decided (an endpoint, an exporter, or the SDK disabled), so that a
    /// platform's own default collector must not override it.
    public var isChosenByEnvironment = false

    /// No export: spans only carry the trace along.
    public static let off = TracingSettings(exports: false)

    /// The settings of this process's environment, checked once.
    public static let process = Result { try TracingSettings(environment: ProcessInfo.processInfo.environment) }

    /// The settings the components of this process use: the environment's, or ``off`` when it
    /// holds a value refused by ``init(environment:)`` (the commands check it first and stop).
    public static var processDefault: TracingSettings { (try? process.get()) ?? .off }

    /// Reads and checks the OpenTelemetry variables among `environment`.
    /// - Throws: ``InvalidConfiguration`` for a propagator, sampler, exporter or protocol this
    ///   build cannot honour.
    public init(environment: [String: String]) throws {
        let otel = environment.filter { $0.key.hasPrefix("OTEL_") }
        try Self.check(otel)
        let disabled = otel["OTEL_SDK_DISABLED"]?.lowercased() == "true"
        let exporter = otel["OTEL_TRACES_EXPORTER"]?.lowercased()
        // As the specification says: the shared endpoint gets the signal's path, a signal's own is used as given.
        let shared = otel["OTEL_EXPORTER_OTLP_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 }
        let endpoint =
            otel["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"].flatMap { $0.isEmpty ? nil : $0 }
            ?? shared.map { ($0.hasSuffix("/") ? String($0.dropLast()) : $0) + "/v1/traces" }
        let wanted = exporter.map { $0 != "none" } ?? (endpoint != nil)
        self.init(exports: wanted && !disabled, tracesEndpoint: endpoint)
        isChosenByEnvironment = disabled || exporter != nil || endpoint != nil
    }

    /// These settings, or, when the environment chose nothing, exports to `endpoint` with
    /// `headers` (the embedded platform's console).
    public func exportingByDefault(to endpoint: String, headers: [String: String]) -> TracingSettings {
        guard !isChosenByEnvironment else { return self }
        var settings = TracingSettings(exports: true, tracesEndpoint: endpoint)
        settings.headers = headers
        return settings
    }

    /// Creates settings from values (tests, and a platform that picks the collector itself).
    public init(exports: Bool, tracesEndpoint: String? = nil) {
        self.exports = exports
        self.tracesEndpoint = tracesEndpoint
    }

    /// Refuses what swift-otel would answer with `fatalError`, and what this build leaves out.
    private static func check(_ otel: [String: String]) throws {
        try allow(otel, "OTEL_PROPAGATORS", list: true, ["tracecontext", "baggage", "none"])
        try allow(otel, "OTEL_TRACES_EXPORTER", list: false, ["otlp", "console", "none"])
        try allow(
            otel, "OTEL_TRACES_SAMPLER", list: false,
            ["always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"]
        )
        for key in ["OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"] {
            // gRPC is not built in (ADR 33).
            try allow(otel, key, list: false, ["http/protobuf", "http/json"])
        }
    }

    private static func allow(_ otel: [String: String], _ key: String, list: Bool, _ values: Set<String>) throws {
        guard let text = otel[key]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return }
        let given = list ? text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() } : [text.lowercased()]
        if let refused = given.first(where: { !values.contains($0) }) {
            throw InvalidConfiguration(key: key, reason: "\"\(refused)\" is not supported; use one of \(values.sorted().joined(separator: ", "))")
        }
    }
}
