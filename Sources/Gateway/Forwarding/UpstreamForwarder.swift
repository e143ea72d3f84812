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
/// A request body is read whole (it is bounded by the body limit) and sent once; the answer
/// streams back, so a large response is never held in memory. Connections to each upstream are
/// pooled and kept alive by the ``OutboundHTTPClient``.
struct UpstreamForwarder: Sendable {
    let client: OutboundHTTPClient
    let directory: UpstreamDirectory
    let timeout: Duration

    func forward(_ request: Request, context: EmporiumRequestContext, route: GatewayRoute) async throws -> Response {
        guard let instance = directory.pick(route.upstream) else {
            throw Problem(.serviceUnavailable, detail: "The \(route.upstream.rawValue) component has not started yet.", headers: [.retryAfter: "1"])
        }
        let body = try await Self.body(of: request, limit: context.maxRequestBodyBytes)
        do {
            return try await send(request, context: context, route: route, to: instance, body: body)
        } catch let failure as UpstreamCallFailed {
            // A read is safe to send again, to another instance: a client never sees the crash of
            // one instance while another is up. Writes are not; their Idempotency-Key lets the client retry.
            if body == nil, [.get, .head].contains(request.method), let other = directory.pick(route.upstream, avoiding: instance),
                other !== instance
            {
                context.logger.notice("Retrying on another instance", metadata: ["upstream": "\(other.name)"])
                do {
                    return try await send(request, context: context, route: route, to: other, body: nil)
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
        body: ByteBuffer?
    ) async throws -> Response {
        var outbound = HTTPClientRequest(url: instance.baseURL + route.upstreamTarget(for: request.head.path ?? request.uri.description))
        outbound.method = HTTPMethod(rawValue: request.method.rawValue)
        outbound.headers = ForwardedHeaders.upstreamRequest(from: request.headers, clientAddress: context.remoteAddress, kind: route.kind)
        if let body { outbound.body = .bytes(body) }
        let response: HTTPClientResponse
        do {
            // Only failures to get an answer count against the instance; its own error answers pass through.
            response = try await instance.breaker.run {
                try await client.execute(outbound, timeout: timeout, dependency: route.upstream.rawValue, logger: context.logger)
            }
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

    /// The request's body, read whole up to `limit` (a 413 problem beyond it), or nil when it has none.
    ///
    /// Read before anything is sent, so that the body is consumed once, by the gateway: streamed
    /// through, it could be asked for a second time (by the client's connection pool, or by the
    /// server draining what an early upstream answer left unread), which traps (ADR 25). A GET
    /// with neither a length nor chunked encoding has no body, and must not be sent one.
    static func body(of request: Request, limit: Int) async throws -> ByteBuffer? {
        let declared = request.headers[.contentLength].flatMap(Int64.init)
        if let declared, declared > Int64(limit) {
            throw Problem(.bodyTooLarge, detail: "The request body exceeds the limit of \(limit) bytes.")
        }
        let hasBody = (declared ?? 0) > 0 || (declared == nil && request.headers[.transferEncoding] != nil)
        guard hasBody else { return nil }
        var collected = ByteBuffer()
        for try await part in request.body {
            guard collected.readableBytes + part.readableBytes <= limit else {
                throw Problem(.bodyTooLarge, detail: "The request body exceeds the limit of \(limit) bytes.")
            }
            var part = part
            collected.writeBuffer(&part)
        }
        return collected
    }
}

/// An instance gave no answer (or its breaker is open); the forwarder decides what the client sees.
struct UpstreamCallFailed: Error {
    let error: any Error
}
