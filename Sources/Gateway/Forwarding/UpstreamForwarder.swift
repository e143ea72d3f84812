import AsyncHTTPClient
import EmporiumCore
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// Sends a public request to the component that owns it and streams the answer back.
///
/// Bodies stream in both directions, so the gateway never holds a whole body in memory, and
/// connections to each upstream are pooled and kept alive by the ``OutboundHTTPClient``.
struct UpstreamForwarder: Sendable {
    let client: OutboundHTTPClient
    let directory: UpstreamDirectory
    let timeout: Duration
    let breakers: [Component: CircuitBreaker]

    func forward(_ request: Request, context: EmporiumRequestContext, route: GatewayRoute) async throws -> Response {
        guard let baseURL = directory.baseURL(of: route.upstream) else {
            throw Problem(.serviceUnavailable, detail: "The \(route.upstream.rawValue) component has not started yet.", headers: [.retryAfter: "1"])
        }
        var outbound = HTTPClientRequest(url: baseURL + route.upstreamTarget(for: request.head.path ?? request.uri.description))
        outbound.method = HTTPMethod(rawValue: request.method.rawValue)
        outbound.headers = ForwardedHeaders.upstreamRequest(from: request.headers, clientAddress: context.remoteAddress)
        if let length = Self.bodyLength(of: request) {
            outbound.body = .stream(LimitedBody(base: request.body, limit: context.maxRequestBodyBytes), length: length)
        }

        let response: HTTPClientResponse
        do {
            let execute = { try await client.execute(outbound, timeout: timeout, logger: context.logger) }
            // Only failures to get an answer count against the upstream; its own error answers pass through.
            if let breaker = breakers[route.upstream] {
                response = try await breaker.run(execute)
            } else {
                response = try await execute()
            }
        } catch let open as CircuitOpen {
            throw open
        } catch {
            context.logger.warning("Upstream call failed", metadata: ["upstream": "\(route.upstream.rawValue)", "error": "\(error)"])
            throw UpstreamFailure.problem(for: error, upstream: route.upstream, timeout: timeout)
        }
        return Response(
            status: HTTPResponse.Status(code: Int(response.status.code), reasonPhrase: response.status.reasonPhrase),
            headers: ForwardedHeaders.clientResponse(from: response.headers),
            body: ResponseBody(asyncSequence: response.body)
        )
    }

    /// The length to announce upstream, or nil when the request has no body.
    ///
    /// A declared length is kept; a body without one (chunked) is streamed as chunked. A GET with
    /// neither has no body, and must not be sent one.
    static func bodyLength(of request: Request) -> HTTPClientRequest.Body.Length? {
        if let declared = request.headers[.contentLength].flatMap(Int64.init) {
            return declared > 0 ? .known(declared) : nil
        }
        if request.headers[.transferEncoding] != nil || [.post, .put, .patch].contains(request.method) {
            return .unknown
        }
        return nil
    }
}

/// A request body that fails with a 413 problem once it passes the limit, for bodies that did
/// not declare their length up front.
struct LimitedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: RequestBody
    let limit: Int

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let limit: Int
        var seen = 0

        mutating func next() async throws -> ByteBuffer? {
            guard let buffer = try await base.next() else { return nil }
            seen += buffer.readableBytes
            if seen > limit {
                throw Problem(.bodyTooLarge, detail: "The request body exceeds the limit of \(limit) bytes.")
            }
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(base: base.makeAsyncIterator(), limit: limit)
    }
}
