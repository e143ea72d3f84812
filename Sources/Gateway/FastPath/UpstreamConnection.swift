import NIOCore
import NIOHTTP1

/// Who is told what an upstream connection receives: the client connection whose request it is
/// carrying, on the same event loop.
protocol UpstreamResponseReceiver: AnyObject {
    /// Whether the client's connection takes more bytes now; while it does not, the upstream
    /// connection stops reading, so that a slow client slows the upstream instead of filling memory.
    var clientIsWritable: Bool { get }
    /// Each part of the upstream's response, in order.
    func upstreamReceived(_ part: HTTPClientResponsePart)
    /// The end of one read from the socket: the moment to flush what was passed on.
    func upstreamReadComplete()
    /// The connection failed or closed before the response ended.
    func upstreamFailed(_ error: any Error)
}

/// A keep-alive HTTP/1.1 connection from the gateway to one upstream instance, owned by one
/// event loop: it carries one request at a time and goes back to its ``LoopConnectionPool``
/// when the response has ended.
final class UpstreamConnection {
    let channel: any Channel
    let handler: UpstreamChannelHandler

    init(channel: any Channel, handler: UpstreamChannelHandler) {
        self.channel = channel
        self.handler = handler
    }

    /// Whether it can carry another request.
    var isUsable: Bool { channel.isActive && handler.isIdle }
}

/// The last handler of an upstream connection: writes the forwarded request and hands each
/// response part to the current ``UpstreamResponseReceiver``.
final class UpstreamChannelHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    /// Set while a request is in flight; nil while the connection waits in its pool.
    private(set) var receiver: (any UpstreamResponseReceiver)?
    private var context: ChannelHandlerContext?
    private var readHeld = false
    private var failed = false

    /// Whether no request is in flight and nothing has gone wrong.
    var isIdle: Bool { receiver == nil && !failed }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }
    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// Sends a request without a body; what comes back goes to `receiver`.
    func send(_ head: HTTPRequestHead, to receiver: any UpstreamResponseReceiver) {
        guard let context else {
            receiver.upstreamFailed(ChannelError.ioOnClosedChannel)
            return
        }
        self.receiver = receiver
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// Lets reading go on once the client takes bytes again.
    func resumeReading() {
        guard readHeld, let context else { return }
        readHeld = false
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        guard let receiver else {
            // Nothing is asked of an idle connection: whatever arrives is not an answer to anything.
            failed = true
            context.close(promise: nil)
            return
        }
        if case .end = part { self.receiver = nil }
        receiver.upstreamReceived(part)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        receiver?.upstreamReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        if let receiver, !receiver.clientIsWritable {
            readHeld = true
        } else {
            context.read()
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        fail(error, context: context)
    }

    func channelInactive(context: ChannelHandlerContext) {
        fail(ChannelError.eof, context: context)
        context.fireChannelInactive()
    }

    private func fail(_ error: any Error, context: ChannelHandlerContext) {
        failed = true
        let receiver = self.receiver
        self.receiver = nil
        context.close(promise: nil)
        receiver?.upstreamFailed(error)
    }

    /// Stops passing anything on (the client went away) and closes the connection.
    func abandon() {
        receiver = nil
        failed = true
        context?.close(promise: nil)
    }
}
