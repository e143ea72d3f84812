import NIOCore

/// Splits the server's bytes into lines (CRLF or LF), without the line break.
struct SMTPLineDecoder: ByteToMessageDecoder {
    typealias InboundOut = String

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else { return .needMoreData }
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

/// Assembles lines into replies (`250-…` continues, `250 …` ends one) and hands each to the
/// client through an `AsyncThrowingStream`; a read timeout or a closed connection ends the stream.
final class SMTPReplyHandler: ChannelInboundHandler {
    typealias InboundIn = String

    private let replies: AsyncThrowingStream<SMTPReply, any Error>.Continuation
    private var lines: [String] = []
    private var code: Int?

    init(replies: AsyncThrowingStream<SMTPReply, any Error>.Continuation) {
        self.replies = replies
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let line = unwrapInboundIn(data)
        let characters = Array(line)
        guard characters.count >= 3, let code = Int(String(characters[0..<3])), characters.count == 3 || characters[3] == " " || characters[3] == "-",
            self.code == nil || self.code == code
        else {
            replies.finish(throwing: SMTPError.malformedReply(line))
            context.close(promise: nil)
            return
        }
        self.code = code
        lines.append(characters.count > 4 ? String(characters[4...]) : "")
        if characters.count == 3 || characters[3] == " " {
            replies.yield(SMTPReply(code: code, lines: lines))
            lines = []
            self.code = nil
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            replies.finish(throwing: SMTPError.noReply("the server did not answer in time"))
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        replies.finish(throwing: SMTPError.noReply("the server closed the connection"))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        replies.finish(throwing: SMTPError.noReply("\(error)"))
        context.close(promise: nil)
    }
}
