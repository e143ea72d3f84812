import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Sits in each client connection's pipeline before the router and forwards, itself, every
/// request the ``FastForwarder`` plans for; the others go on to the router (ADR 36).
///
/// A connection carries one request at a time through this handler: requests a client pipelines
/// wait here, unread beyond what has arrived, until the one before has been answered whole,
/// whoever answers it, so that responses leave in the order the requests came. A request given
/// to the router is followed until its response's end passes back through here. The quiesce
/// event of a graceful shutdown waits for a forwarded response to end before it goes on to the
/// handler that closes the connection (which sees only what the router serves).
final class FastForwardingHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private enum State {
        case idle
        /// A request the router answers; its response comes back through `write`.
        case routing(requestEnded: Bool, responseEnded: Bool)
        /// A request forwarded here; `closesAfter` when the client asked to close the connection.
        case forwarding(FastExchange, requestEnded: Bool, closesAfter: Bool)
    }

    private let forwarder: FastForwarder
    private var pool: LoopConnectionPool?
    private var clientAddress = "unknown"
    private var state = State.idle
    /// Parts of requests that came while another was in progress, in order.
    private var waiting = CircularBuffer<HTTPRequestPart>()
    private var readHeld = false
    private var quiesceHeld = false
    private var quiescing = false

    init(forwarder: FastForwarder) {
        self.forwarder = forwarder
    }

    func handlerAdded(context: ChannelHandlerContext) {
        pool = forwarder.pools.pool(on: context.eventLoop)
        clientAddress = context.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    // MARK: Requests

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if waiting.isEmpty && takesParts {
            take(part, context: context)
        } else {
            waiting.append(part)
        }
    }

    /// Whether the next part belongs to the request in progress, or there is none.
    private var takesParts: Bool {
        switch state {
        case .idle: true
        case .routing(let requestEnded, _): !requestEnded
        case .forwarding(_, let requestEnded, _): !requestEnded
        }
    }

    private func take(_ part: HTTPRequestPart, context: ChannelHandlerContext) {
        switch state {
        case .idle:
            guard case .head(let head) = part else {
                // Not the start of a request: the router answers what is wrong with it.
                context.fireChannelRead(wrapInboundOut(part))
                return
            }
            begin(head, context: context)
        case .routing(_, let responseEnded):
            context.fireChannelRead(wrapInboundOut(part))
            guard case .end = part else { return }
            if responseEnded { settle(context: context) } else { state = .routing(requestEnded: true, responseEnded: false) }
        case .forwarding(let exchange, _, let closesAfter):
            // A forwarded request has no body: its end is all that follows its head.
            guard case .end = part else { return }
            if exchange.isFinished { settle(context: context) } else { state = .forwarding(exchange, requestEnded: true, closesAfter: closesAfter) }
        }
    }

    private func begin(_ head: HTTPRequest, context: ChannelHandlerContext) {
        guard !quiescing, let pool, let plan = forwarder.plan(for: head, clientAddress: clientAddress) else {
            state = .routing(requestEnded: false, responseEnded: false)
            context.fireChannelRead(wrapInboundOut(.head(head)))
            return
        }
        let exchange = FastExchange(
            forwarder: forwarder, pool: pool, context: context, head: head, plan: plan, clientAddress: clientAddress
        ) { [unowned self] in
            exchangeFinished(context: context)
        }
        state = .forwarding(exchange, requestEnded: false, closesAfter: head.headerFields[.connection]?.lowercased() == "close")
        exchange.start()
    }

    private func exchangeFinished(context: ChannelHandlerContext) {
        guard case .forwarding(_, let requestEnded, let closesAfter) = state else { return }
        if closesAfter {
            quiescing = true
            waiting.removeAll()
            state = .idle
            context.close(promise: nil)
        } else if requestEnded {
            settle(context: context)
        }
    }

    /// The request in progress has been read and answered: on to the next one that waits.
    private func settle(context: ChannelHandlerContext) {
        state = .idle
        if quiesceHeld {
            quiesceHeld = false
            waiting.removeAll()
            context.fireUserInboundEventTriggered(ChannelShouldQuiesceEvent())
            return
        }
        var passedOn = false
        while !waiting.isEmpty && takesParts {
            take(waiting.removeFirst(), context: context)
            if case .routing = state { passedOn = true }
        }
        // The router's reader hands on what it was given at the end of a read: this is one.
        if passedOn { context.fireChannelReadComplete() }
        if waiting.isEmpty && readHeld {
            readHeld = false
            context.read()
        }
    }

    func read(context: ChannelHandlerContext) {
        if waiting.isEmpty { context.read() } else { readHeld = true }
    }

    // MARK: The router's responses

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        context.write(data, promise: promise)
        guard case .end = unwrapOutboundIn(data), case .routing(let requestEnded, _) = state else { return }
        if requestEnded { settle(context: context) } else { state = .routing(requestEnded: false, responseEnded: true) }
    }

    // MARK: The connection

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if case .forwarding(let exchange, _, _) = state { exchange.clientWritabilityChanged() }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        waiting.removeAll()
        quiescing = true
        if case .forwarding(let exchange, _, _) = state { exchange.clientClosed() }
        // The exchange holds this connection's context: dropping it ends the cycle between them.
        state = .idle
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        quiescing = true
        if case .forwarding = state {
            quiesceHeld = true
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
