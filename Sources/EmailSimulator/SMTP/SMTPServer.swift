import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import SimulatorSupport

/// The simulated email service's SMTP listener: each connection is an ``SMTPSession``; each
/// message it completes is written to the ``Mailbox``, or refused with a 554 when the injected
/// faults say so (after their latency), so that a user can break email and watch notifications
/// become dead letters.
struct SMTPServer: Service {
    let host: String
    let port: Int
    let serverName: String
    let faults: FaultSwitch
    let mailbox: Mailbox
    let logger: Logger
    /// Told the port once it listens (the one asked for, or the one the system picked for 0).
    var onListening: (@Sendable (Int) async -> Void)? = nil

    /// How long a connection may say nothing before it is closed.
    static let idleTimeout = TimeAmount.seconds(60)

    func run() async throws {
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        IdleStateHandler(readTimeout: Self.idleTimeout), CloseOnIdle(), ByteToMessageHandler(SMTPCommandDecoder()))
                    return try NIOAsyncChannel<String, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let bound = listener.channel.localAddress?.port ?? port
        logger.notice("SMTP listening", metadata: ["port": "\(bound)"])
        await onListening?(bound)
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await listener.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask { await serve(connection) }
                    }
                }
            }
        } onGracefulShutdown: {
            listener.channel.close(promise: nil)
        }
    }

    private func serve(_ connection: NIOAsyncChannel<String, ByteBuffer>) async {
        do {
            try await connection.executeThenClose { lines, replies in
                var session = SMTPSession(serverName: serverName)
                try await replies.write(ByteBuffer(string: session.greeting + "\r\n"))
                for try await line in lines {
                    switch session.receive(line) {
                    case .none: continue
                    case .reply(let reply): try await replies.write(ByteBuffer(string: reply + "\r\n"))
                    case .close(let reply):
                        try await replies.write(ByteBuffer(string: reply + "\r\n"))
                        return
                    case .deliver(let message):
                        try await replies.write(ByteBuffer(string: await deliver(message) + "\r\n"))
                    }
                }
            }
        } catch {
            logger.debug("SMTP connection ended", metadata: ["error": "\(error)"])
        }
    }

    /// Stores `message`, or refuses it as the faults say; returns the reply.
    private func deliver(_ message: SMTPSession.Message) async -> String {
        do {
            if try await faults.current.delayThenDrawFailure() {
                logger.info("Message refused by an injected fault", metadata: ["to": "\(message.recipients.joined(separator: ","))"])
                return "554 5.3.0 The simulated email service refuses the message (an injected fault)"
            }
            let path = try await mailbox.store(message)
            logger.info("Email received", metadata: ["path": "\(path)", "to": "\(message.recipients.joined(separator: ","))"])
            return "250 2.0.0 OK: queued as \(path.split(separator: "/").last ?? "")"
        } catch {
            logger.error("Could not store a message", metadata: ["error": "\(error)"])
            return "451 4.3.0 The message could not be stored; try again later"
        }
    }
}

/// Splits a client's bytes into lines (CRLF or LF), refusing a line longer than SMTP allows
/// many times over, so that a client cannot make the server buffer without end.
struct SMTPCommandDecoder: ByteToMessageDecoder {
    typealias InboundOut = String

    /// RFC 5321 allows 1,000 octets a line; some clients send more in `DATA`.
    static let maximumLineBytes = 64 * 1024

    struct LineTooLong: Error {}

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maximumLineBytes { throw LineTooLong() }
            return .needMoreData
        }
        var line = buffer.readString(length: newline - buffer.readerIndex + 1) ?? ""
        line.removeLast()
        if line.hasSuffix("\r") { line.removeLast() }
        context.fireChannelRead(wrapInboundOut(line))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }
}

/// Closes a connection the idle handler reports silent.
final class CloseOnIdle: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}
