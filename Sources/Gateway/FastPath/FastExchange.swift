import Contracts
import EmporiumCore
import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import ServiceContextModule
import Tracing

/// One request on the gateway's fast path, from the moment it is planned to the end of its
/// response: its spans, its attempts (a second instance for a failed read), its timeout, and the
/// response it writes to the client, the upstream's parts as they arrive or a problem document.
///
/// It does what ``UpstreamForwarder`` does for a request the router forwards, with the same
/// outcomes: the same statuses and problems, breakers, retry rule, metrics and spans. Everything
/// happens on the event loop of the client's connection.
final class FastExchange: UpstreamResponseReceiver {
    private let forwarder: FastForwarder
    private let pool: LoopConnectionPool
    private let context: ChannelHandlerContext
    private let method: HTTPRequest.Method
    private let plan: ForwardingPlan
    private let onFinish: () -> Void
    private let started = ContinuousClock.now
    private let serverSpan: ComponentSpan
    private let requestID: String
    private let upstreamHeaders: HTTPHeaders
    private var instance: BalancedInstance
    private var attempts = 0
    private var attemptStarted = ContinuousClock.now
    private var clientSpan: ComponentSpan?
    private var connection: UpstreamConnection?
    private var timer: Scheduled<Void>?
    private var lastRead = NIODeadline.now()
    private var responseStarted = false
    private var keepsUpstreamAlive = true
    private var status = 0
    /// Whether its response has been written whole, or given up.
    private(set) var isFinished = false

    /// Prepares the request `head` for forwarding as `plan` says; `start()` sends it.
    /// - Parameter onFinish: Told once its response has been written whole or given up.
    init(
        forwarder: FastForwarder, pool: LoopConnectionPool, context: ChannelHandlerContext, head: HTTPRequest, plan: ForwardingPlan,
        clientAddress: String, onFinish: @escaping () -> Void
    ) {
        self.forwarder = forwarder
        self.pool = pool
        self.context = context
        self.method = head.method
        self.plan = plan
        self.instance = plan.instance
        self.onFinish = onFinish
        var incoming = ServiceContext.topLevel
        forwarder.tracer.extract(head.headerFields, into: &incoming, using: HTTPFieldsExtractor())
        serverSpan = forwarder.tracer.startSpan("\(head.method.rawValue) \(plan.registeredPath)", context: incoming, ofKind: .server)
        requestID = serverSpan.context.requestMetadata?.requestID ?? ""
        if serverSpan.isRecording {
            ServerSpanAttributes.describe(
                serverSpan, method: head.method.rawValue, route: plan.registeredPath, path: plan.path, query: plan.query,
                userAgent: head.headerFields[.userAgent])
            ServerSpanAttributes.describe(serverSpan, requestID: requestID)
        }
        upstreamHeaders = ForwardedHeaders.upstreamRequest(from: head.headerFields, clientAddress: clientAddress, kind: plan.route.kind)
    }

    /// Sends the request to the planned instance.
    func start() {
        attempt(on: plan.instance)
    }

    // MARK: Attempts

    private func attempt(on instance: BalancedInstance) {
        self.instance = instance
        attempts += 1
        do {
            try instance.breaker.admit()
        } catch {
            failed(error, counted: false)
            return
        }
        let span = forwarder.tracer.startSpan(method.rawValue, context: serverSpan.context, ofKind: .client)
        clientSpan = span
        var headers = upstreamHeaders
        headers.replaceOrAdd(name: "Host", value: String(instance.baseURL.dropFirst(instance.baseURL.hasPrefix("http://") ? 7 : 0)))
        forwarder.tracer.inject(span.context, into: &headers, using: HTTPHeadersInjector())
        if span.isRecording {
            ClientSpanAttributes.describe(span, method: method.rawValue, url: instance.baseURL + plan.upstreamTarget, dependency: upstreamName)
        }
        let head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method.rawValue), uri: plan.upstreamTarget, headers: headers)
        attemptStarted = .now
        arm(after: forwarder.timeoutAmount)
        let attempt = attempts
        let baseURL = instance.baseURL
        pool.lease(baseURL) { [self] result in
            guard !isFinished, attempt == attempts else {
                // Connected after this attempt was given up: another request can use the connection.
                if case .success(let late) = result { pool.release(late, to: baseURL) }
                return
            }
            switch result {
            case .success(let connection):
                self.connection = connection
                connection.handler.send(head, to: self)
            case .failure(let error):
                failed(error, counted: true)
            }
        }
    }

    /// An attempt got no answer: another instance for a read, else the problem the router's
    /// forwarder would have answered.
    private func failed(_ error: any Error, counted: Bool) {
        cancelTimer()
        if let connection {
            self.connection = nil
            connection.handler.abandon()
        }
        if counted {
            // Only failures to get an answer count against the instance, as in ``UpstreamForwarder``.
            instance.breaker.record(failed: true)
            forwarder.calls.record(peer: upstreamName, status: nil, duration: .now - attemptStarted)
            forwarder.logger.warning(
                "Upstream call failed", metadata: ["upstream": "\(instance.name)", "error": "\(error)", "request_id": "\(requestID)"])
        }
        if let clientSpan {
            clientSpan.attributes["error.type"] = String(describing: type(of: error))
            clientSpan.recordError(error)
            clientSpan.setStatus(SpanStatus(code: .error))
            clientSpan.end()
            self.clientSpan = nil
        }
        if attempts == 1, method == .get || method == .head, let other = forwarder.directory.pick(plan.route.upstream, avoiding: instance),
            other !== instance
        {
            forwarder.logger.notice("Retrying on another instance", metadata: ["upstream": "\(other.name)", "request_id": "\(requestID)"])
            attempt(on: other)
            return
        }
        respond(with: UpstreamFailure.problem(for: error, upstream: plan.route.upstream, timeout: forwarder.timeout))
    }

    private var upstreamName: String { plan.route.upstream.rawValue }

    // MARK: The upstream's answer

    var clientIsWritable: Bool { context.channel.isWritable }

    func upstreamReceived(_ part: HTTPClientResponsePart) {
        guard !isFinished else { return }
        switch part {
        case .head(let response):
            responseStarted = true
            lastRead = .now()
            status = Int(response.status.code)
            keepsUpstreamAlive = response.isKeepAlive
            instance.breaker.record(failed: false)
            forwarder.calls.record(peer: upstreamName, status: status, duration: .now - attemptStarted)
            if let clientSpan {
                if clientSpan.isRecording { ClientSpanAttributes.describe(clientSpan, status: status) }
                clientSpan.end()
                self.clientSpan = nil
            }
            var fields = ForwardedHeaders.clientResponse(from: response.headers)
            fields[.requestID] = requestID
            let head = HTTPResponse(status: .init(code: status, reasonPhrase: response.status.reasonPhrase), headerFields: fields)
            context.write(NIOAny(HTTPResponsePart.head(head)), promise: nil)
        case .body(let buffer):
            lastRead = .now()
            context.write(NIOAny(HTTPResponsePart.body(buffer)), promise: nil)
        case .end:
            context.writeAndFlush(NIOAny(HTTPResponsePart.end(nil)), promise: nil)
            if let connection {
                self.connection = nil
                if keepsUpstreamAlive { pool.release(connection, to: instance.baseURL) } else { connection.channel.close(promise: nil) }
            }
            finish()
        }
    }

    func upstreamReadComplete() {
        if !isFinished { context.flush() }
    }

    func upstreamFailed(_ error: any Error) {
        guard !isFinished else { return }
        connection = nil
        if responseStarted {
            // Part of the answer is out: the client can only learn of the failure by the connection closing.
            giveUp()
        } else {
            failed(error, counted: true)
        }
    }

    // MARK: The client's side

    /// The client takes bytes again: the upstream may be read again.
    func clientWritabilityChanged() {
        if context.channel.isWritable { connection?.handler.resumeReading() }
    }

    /// The client's connection closed: nothing more is read from the upstream, whose connection
    /// cannot carry another request with this answer half read.
    func clientClosed() {
        guard !isFinished else { return }
        connection?.handler.abandon()
        connection = nil
        clientSpan?.end()
        clientSpan = nil
        finish()
    }

    // MARK: Ending

    private func respond(with problem: Problem) {
        let body = (try? problem.document(instance: plan.path, requestID: requestID).encoded()) ?? Data()
        var fields = problem.headers
        fields[.contentType] = ProblemDocument.mediaType
        fields[.contentLength] = String(body.count)
        fields[.requestID] = requestID
        status = problem.status.code
        context.write(NIOAny(HTTPResponsePart.head(HTTPResponse(status: problem.status, headerFields: fields))), promise: nil)
        context.write(NIOAny(HTTPResponsePart.body(ByteBuffer(bytes: body))), promise: nil)
        context.writeAndFlush(NIOAny(HTTPResponsePart.end(nil)), promise: nil)
        finish()
    }

    /// Ends a response that cannot be completed by closing the client's connection.
    private func giveUp() {
        connection?.handler.abandon()
        connection = nil
        context.close(promise: nil)
        finish()
    }

    private func finish() {
        isFinished = true
        cancelTimer()
        if serverSpan.isRecording, status > 0 { ServerSpanAttributes.describe(serverSpan, status: status) }
        serverSpan.end()
        if status > 0 {
            forwarder.requests.record(route: plan.registeredPath, method: method.rawValue, status: status, duration: .now - started)
        }
        onFinish()
    }

    // MARK: The timeout

    /// The answer's head must come within the timeout, and then each part within the timeout of
    /// the one before, as the router's client allows.
    private func arm(after delay: TimeAmount) {
        cancelTimer()
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) { [self] in timedOut() }
    }

    private func cancelTimer() {
        timer?.cancel()
        timer = nil
    }

    private func timedOut() {
        timer = nil
        guard !isFinished else { return }
        guard responseStarted else {
            failed(UpstreamTimedOut(), counted: true)
            return
        }
        let quiet = NIODeadline.now() - lastRead
        if quiet >= forwarder.timeoutAmount { giveUp() } else { arm(after: forwarder.timeoutAmount - quiet) }
    }
}

/// No answer came from an upstream within the gateway's timeout.
struct UpstreamTimedOut: Error {}
