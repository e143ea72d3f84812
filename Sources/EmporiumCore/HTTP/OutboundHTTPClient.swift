public import AsyncHTTPClient
public import Logging
import NIOCore
import NIOHTTP1
import ServiceContextModule
public import ServiceLifecycle
import Tracing

/// The one way a component calls another over HTTP.
///
/// Every call has a timeout. A call made for a request or an event is a client span of its trace,
/// and carries its `X-Request-Id` and `traceparent`, so that it can be followed across
/// components; a probe or a refresh made for no one is not traced. Connections are pooled and
/// kept alive. It is a `Service`: add it to the component's group so that the pool closes at
/// shutdown.
public final class OutboundHTTPClient: Service, Sendable {
    /// The underlying pooled client.
    public let client: HTTPClient
    /// The timeout of a call that names none.
    public let defaultTimeout: Duration
    /// The component's tracer, which starts a client span per traced call.
    public let tracer: ComponentTracer
    /// Where traced calls are counted, by dependency and status.
    let metrics: OutboundCallMetrics

    /// Creates a client.
    /// - Parameters:
    ///   - timeout: The default deadline of a whole call (connect, send, response head).
    ///   - connectTimeout: How long to wait for a TCP connection.
    ///   - tracer: The component's tracer.
    ///   - component: The calling component, in the call metrics.
    public init(
        timeout: Duration = .seconds(10), connectTimeout: Duration = .seconds(1), tracer: ComponentTracer = .propagationOnly,
        component: String = "unnamed"
    ) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .init(connectTimeout), read: .init(timeout))
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        // A refused connection fails the call at once instead of being retried until the
        // deadline: a caller learns "down" in milliseconds, and retrying is the caller's decision.
        configuration.connectionPool.retryConnectionEstablishment = false
        // No client spans of AsyncHTTPClient's own: `execute` starts them with the component's
        // tracer, named after the dependency, and propagates their context itself.
        configuration.tracing.tracer = nil
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.defaultTimeout = timeout
        self.tracer = tracer
        self.metrics = OutboundCallMetrics(component: component)
    }

    /// The client of the component `server` serves: its tracer, and its name in the call metrics.
    public convenience init(for server: ComponentServer, timeout: Duration = .seconds(10), connectTimeout: Duration = .seconds(1)) {
        self.init(timeout: timeout, connectTimeout: connectTimeout, tracer: server.tracer, component: server.component)
    }

    /// Sends `request`; inside a traced request or event, as a client span of its trace.
    /// - Parameters:
    ///   - request: The request; its headers are completed, not replaced.
    ///   - timeout: The deadline for this call, or ``defaultTimeout``.
    ///   - dependency: The component or system called, the span's `peer.service`; by default
    ///     the URL's host and port.
    public func execute(
        _ request: HTTPClientRequest,
        timeout: Duration? = nil,
        dependency: String? = nil,
        logger: Logger? = nil
    ) async throws -> HTTPClientResponse {
        let deadline = TimeAmount(timeout ?? defaultTimeout)
        guard let context = ServiceContext.current, context.requestMetadata != nil || context.incomingTrace != nil else {
            return try await client.execute(request, timeout: deadline, logger: Self.clientLogger(logger))
        }
        let span = tracer.startSpan(request.method.rawValue, context: context, ofKind: .client)
        defer { span.end() }
        var request = request
        tracer.inject(span.context, into: &request.headers, using: HTTPHeadersInjector())
        if span.isRecording { ClientSpanAttributes.describe(span, request: request, dependency: dependency) }
        let peer = dependency ?? ClientSpanAttributes.peer(of: request.url)
        let start = ContinuousClock.now
        do {
            let response = try await client.execute(request, timeout: deadline, logger: Self.clientLogger(logger))
            metrics.record(peer: peer, status: Int(response.status.code), duration: ContinuousClock.now - start)
            if span.isRecording { ClientSpanAttributes.describe(span, response: response) }
            return response
        } catch {
            metrics.record(peer: peer, status: nil, duration: ContinuousClock.now - start)
            span.attributes["error.type"] = String(describing: type(of: error))
            span.recordError(error)
            span.setStatus(SpanStatus(code: .error))
            throw error
        }
    }

    /// The logger AsyncHTTPClient gets: the caller's only when it logs debug messages.
    ///
    /// AsyncHTTPClient logs at debug and trace level only, but it tags the logger with a request id
    /// on every call. Under swift-log's `StreamLogHandler`, which renders all of a logger's metadata
    /// again on each change, that was a share of the gateway's CPU for lines never written (ADR 22);
    /// under ``DeferredRenderingLogHandler`` it is cheaper, but still work for nothing.
    static func clientLogger(_ logger: Logger?) -> Logger? {
        guard let logger, logger.logLevel <= .debug else { return nil }
        return logger
    }

    /// Waits for graceful shutdown, then closes the pool.
    public func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}

extension TimeAmount {
    /// NIO's equivalent of a Swift `Duration`.
    init(_ duration: Duration) {
        self = .nanoseconds(duration.nanoseconds)
    }
}
