import AsyncHTTPClient
import Foundation
import HTTPTypes
public import Logging
public import NIOCore
public import NIOHTTP1

/// How a service calls one HTTP dependency — another component or an external system — with
/// everything ARCHITECTURE.md asks of such a call: a deadline, the dependency's circuit breaker,
/// and retries with backoff only when the call is idempotent.
///
/// A 2xx or 4xx answer is returned for the caller to read (a 4xx means the request was refused,
/// which says the dependency works). A 5xx, a timeout or a refused connection is a
/// ``DependencyFailure``: it counts against the breaker and is what a retry repeats.
public struct DependencyClient: Sendable {
    /// Where the dependency is.
    public let location: DependencyLocation
    /// The component's pooled HTTP client.
    public let http: OutboundHTTPClient
    /// The dependency's breaker and retry policy.
    public let caller: DependencyCaller
    /// The deadline of one attempt.
    public let timeout: Duration

    /// Creates a client for one dependency.
    /// - Parameters:
    ///   - location: Its base URL.
    ///   - http: The component's outbound client.
    ///   - breaker: The dependency's breaker; by default a new one named after the dependency.
    ///   - retry: Attempts and backoff for idempotent calls.
    ///   - timeout: The deadline of one attempt.
    public init(
        location: DependencyLocation,
        http: OutboundHTTPClient,
        breaker: CircuitBreaker? = nil,
        retry: RetryPolicy = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(50), maxDelay: .seconds(1)),
        timeout: Duration = .seconds(5)
    ) {
        self.location = location
        self.http = http
        self.caller = DependencyCaller(breaker: breaker ?? CircuitBreaker(name: location.name), retry: retry)
        self.timeout = timeout
    }

    /// The breaker's state, for `/health/ready`.
    public var readinessCheck: any ReadinessCheck { caller.breaker.readinessCheck }

    /// Lets `instance` rest after a failed attempt (it matters when the dependency has several).
    private func rest(_ instance: BalancedInstance, logger: Logger) {
        instance.breaker.record(failed: true)
        if instance.breaker.state == .open {
            logger.notice(
                "A dependency's instance rests after a failure", metadata: ["dependency": "\(location.name)", "instance": "\(instance.baseURL)"])
        }
    }

    /// Sends one call (repeated on failure when `idempotent`).
    /// - Parameters:
    ///   - method: The HTTP method.
    ///   - path: The path and query, after the base URL.
    ///   - headers: Headers to send (`Authorization`, `Idempotency-Key`…).
    ///   - body: The body and its media type, if any.
    ///   - idempotent: Whether repeating the call is harmless (a read, or a write with an
    ///     idempotency key the dependency honours).
    /// - Returns: The answer, when its status is below 500.
    /// - Throws: ``DependencyFailure``, or ``CircuitOpen`` while the breaker is open.
    public func send(
        _ method: HTTPMethod,
        _ path: String,
        headers: [(String, String)] = [],
        body: (bytes: ByteBuffer, contentType: String)? = nil,
        idempotent: Bool,
        logger: Logger
    ) async throws -> DependencyResponse {
        var instance = try location.instance()  // a 503 problem while the dependency's URL is unknown
        let name = location.name
        var attempts = 0
        let isFailure: (any Error) -> Bool = { $0 is DependencyFailure }
        return try await caller.call(idempotent: idempotent, isFailure: isFailure) {
            attempts += 1
            // A retry goes to another instance, when the dependency has several.
            if attempts > 1 { instance = (try? location.instance(avoiding: instance)) ?? instance }
            var request = HTTPClientRequest(url: instance.baseURL + path)
            request.method = method
            for (name, value) in headers { request.headers.add(name: name, value: value) }
            if let body {
                request.headers.add(name: "Content-Type", value: body.contentType)
                request.body = .bytes(body.bytes)
            }
            let status: Int
            let collected: ByteBuffer
            do {
                let response = try await http.execute(request, timeout: timeout, dependency: name, logger: logger)
                status = Int(response.status.code)
                collected = try await response.body.collect(upTo: 1 << 20)
            } catch {
                logger.warning("A dependency could not be reached", metadata: ["dependency": "\(name)", "error": "\(error)"])
                rest(instance, logger: logger)
                throw DependencyFailure(dependency: name, reason: "could not be reached")
            }
            guard status < 500 else {
                logger.warning(
                    "A dependency failed",
                    metadata: ["dependency": "\(name)", "status": "\(status)", "body": "\(String(buffer: collected).prefix(300))"])
                rest(instance, logger: logger)
                throw DependencyFailure(dependency: name, reason: "answered \(status)")
            }
            instance.breaker.record(failed: false)
            return DependencyResponse(status: status, body: collected)
        }
    }

    /// Sends a JSON body (see ``send(_:_:headers:body:idempotent:logger:)``).
    public func send(
        _ method: HTTPMethod,
        _ path: String,
        headers: [(String, String)] = [],
        json: some Encodable,
        idempotent: Bool,
        logger: Logger
    ) async throws -> DependencyResponse {
        let bytes = ByteBuffer(bytes: try JSONEncoder().encode(json))
        return try await send(method, path, headers: headers, body: (bytes, "application/json"), idempotent: idempotent, logger: logger)
    }
}

/// An answer below 500 from a dependency.
public struct DependencyResponse: Sendable {
    /// The HTTP status.
    public let status: Int
    /// The whole body.
    public let body: ByteBuffer

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }

    /// Decodes the body as JSON.
    /// - Throws: ``DependencyFailure`` when the body is not what the dependency's API promises.
    public func decode<Value: Decodable>(_ type: Value.Type, from dependency: String) throws -> Value {
        // Emporium's components write dates as ISO 8601 (see EmporiumRequestContext).
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(Value.self, from: Data(body.readableBytesView))
        } catch {
            throw DependencyFailure(dependency: dependency, reason: "answered \(status) with a body that is not a \(Value.self): \(error)")
        }
    }
}

/// A dependency failed: unreachable, too slow, a 5xx, or an answer its API does not allow.
/// A client is told 503: the fault is not theirs, and a retry later may succeed.
public struct DependencyFailure: Error, Sendable, CustomStringConvertible {
    /// The dependency's name.
    public let dependency: String
    /// What went wrong.
    public let reason: String

    /// Creates a failure.
    public init(dependency: String, reason: String) {
        self.dependency = dependency
        self.reason = reason
    }

    /// A sentence for logs and dead letters.
    public var description: String { "\(dependency) \(reason)" }

    /// The 503 problem a client gets.
    public var problem: Problem {
        Problem(.serviceUnavailable, detail: "\(dependency) is unavailable; nothing was changed. Try again shortly.", headers: [.retryAfter: "1"])
    }
}
