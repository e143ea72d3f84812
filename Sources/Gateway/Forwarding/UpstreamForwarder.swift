import AsyncHTTPClient
import Contracts
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

    func forward(_ request: Request, context: EmporiumRequestContext, route: GatewayRoute) async throws -> Response {
        guard let instance = directory.pick(route.upstream) else {
            throw Problem(.serviceUnavailable, detail: "The \(route.upstream.rawValue) component has not started yet.", headers: [.retryAfter: "1"])
        }
        let bodyLength = Self.bodyLength(of: request)
        do {
            return try await send(request, context: context, route: route, to: instance, bodyLength: bodyLength)
        } catch let failure as UpstreamCallFailed {
            // A request without a body is safe to send again, to another instance: a client never
            // sees the crash of one instance while another is up.
            if bodyLength == nil, [.get, .head].contains(request.method), let other = directory.pick(route.upstream, avoiding: instance),
                other !== instance
            {
                context.logger.notice("Retrying on another instance", metadata: ["upstream": "\(other.name)"])
                do {
                    return try await send(request, context: context, route: route, to: other, bodyLength: nil)
                } catch let second as UpstreamCallFailed {
                    throw UpstreamFailure.problem(for: second.error, upstream: route.upstream, timeout: timeout)
                }
            }
            throw UpstreamFailure.problem(for: failure.error, upstream: route.upstream, timeout: timeout)
        }
    }

    /// One attempt at one instance, through its breaker.
    private func send(
        _ request: Request,
        context: EmporiumRequestContext,
        route: GatewayRoute,
        to instance: BalancedInstance,
        bodyLength: HTTPClientRequest.Body.Length?
    ) async throws -> Response {
        var outbound = HTTPClientRequest(url: instance.baseURL + route.upstreamTarget(for: request.head.path ?? request.uri.description))
        outbound.method = HTTPMethod(rawValue: request.method.rawValue)
        outbound.headers = ForwardedHeaders.upstreamRequest(from: request.headers, clientAddress: context.remoteAddress)
        if let bodyLength {
            outbound.body = .stream(LimitedBody(base: request.body, limit: context.maxRequestBodyBytes), length: bodyLength)
        }
        let response: HTTPClientResponse
        do {
            // Only failures to get an answer count against the instance; its own error answers pass through.
            response = try await instance.breaker.run { try await client.execute(outbound, timeout: timeout, logger: context.logger) }
        } catch let open as CircuitOpen {
            throw UpstreamCallFailed(error: open)
        } catch let problem as Problem {
            throw problem
        } catch {
            context.logger.warning("Upstream call failed", metadata: ["upstream": "\(instance.name)", "error": "\(error)"])
            throw UpstreamCallFailed(error: error)
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

/// An instance gave no answer (or its breaker is open); the forwarder decides what the client sees.
struct UpstreamCallFailed: Error {
    let error: any Error
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
