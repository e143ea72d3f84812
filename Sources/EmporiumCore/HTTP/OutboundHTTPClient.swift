public import AsyncHTTPClient
public import Logging
import NIOCore
import NIOHTTP1
import ServiceContextModule
public import ServiceLifecycle

/// The one way a component calls another over HTTP.
///
/// Every call has a timeout, and carries the current request's `X-Request-Id` and `traceparent`
/// so that a request can be followed across components. Connections are pooled and kept alive.
/// It is a `Service`: add it to the component's group so that the pool closes at shutdown.
public final class OutboundHTTPClient: Service, Sendable {
    /// The underlying pooled client.
    public let client: HTTPClient
    /// The timeout of a call that names none.
    public let defaultTimeout: Duration

    /// Creates a client.
    /// - Parameters:
    ///   - timeout: The default deadline of a whole call (connect, send, response head).
    ///   - connectTimeout: How long to wait for a TCP connection.
    public init(timeout: Duration = .seconds(10), connectTimeout: Duration = .seconds(1)) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .init(connectTimeout), read: .init(timeout))
        configuration.redirectConfiguration = .disallow
        configuration.decompression = .disabled
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        // A refused connection fails the call at once instead of being retried until the
        // deadline: a caller learns "down" in milliseconds, and retrying is the caller's decision.
        configuration.connectionPool.retryConnectionEstablishment = false
        // No client spans of AsyncHTTPClient's own: `execute` carries the caller's trace in
        // `traceparent` itself, and with no tracer bootstrapped each call only paid for a no-op span
        // and its attributes. Give it the tracer here once one is bootstrapped (an OTLP exporter).
        configuration.tracing.tracer = nil
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.defaultTimeout = timeout
    }

    /// Sends `request`, adding the tracing headers of the current request.
    /// - Parameters:
    ///   - request: The request; its headers are completed, not replaced.
    ///   - timeout: The deadline for this call, or ``defaultTimeout``.
    public func execute(_ request: HTTPClientRequest, timeout: Duration? = nil, logger: Logger? = nil) async throws -> HTTPClientResponse {
        var request = request
        if let context = ServiceContext.current {
            TraceContextPropagation().inject(context, into: &request.headers, using: HTTPHeadersInjector())
        }
        return try await client.execute(request, timeout: .init(timeout ?? defaultTimeout), logger: Self.clientLogger(logger))
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
