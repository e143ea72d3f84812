import Foundation
public import Logging
import NIOCore
import NIOPosix
import NIOSSL

/// Where and how to submit mail.
public struct SMTPSettings: Sendable {
    /// The server's host name.
    public var host: String
    /// Its port (587 for submission, 25 for relay).
    public var port: Int
    /// The name this client greets with (`EHLO`).
    public var heloName: String
    /// User name and password for `AUTH PLAIN` or `AUTH LOGIN`, if the server wants them.
    public var username: String?
    /// The password.
    public var password: String?
    /// The longest wait for a connection or for any reply.
    public var timeout: Duration
    /// Whether to upgrade to TLS with `STARTTLS` before anything else (the server must offer it).
    public var startTLS: Bool
    /// A PEM file of the certificate authorities to trust instead of the system's (a private CA).
    public var trustedCertificatesFile: String?

    /// Creates settings.
    public init(
        host: String,
        port: Int,
        heloName: String = "emporium.localhost",
        username: String? = nil,
        password: String? = nil,
        timeout: Duration = .seconds(30),
        startTLS: Bool = false,
        trustedCertificatesFile: String? = nil
    ) {
        self.host = host
        self.port = port
        self.heloName = heloName
        self.username = username
        self.password = password
        self.timeout = timeout
        self.startTLS = startTLS
        self.trustedCertificatesFile = trustedCertificatesFile
    }
}

/// An SMTP client on SwiftNIO (RFC 5321): `EHLO`, `STARTTLS` (RFC 3207) when configured,
/// `AUTH PLAIN`/`LOGIN`, `MAIL FROM`, one `RCPT TO` per recipient, `DATA` with dot-stuffing and CRLF
/// line endings, `QUIT`. One connection per message.
public struct SMTPClient: Sendable {
    /// The server and credentials.
    public let settings: SMTPSettings

    /// Creates a client.
    public init(settings: SMTPSettings) {
        self.settings = settings
    }

    /// Submits one message.
    /// - Parameters:
    ///   - sender: The envelope sender (`MAIL FROM`).
    ///   - recipients: The envelope recipients (`RCPT TO`), at least one.
    ///   - data: The message (RFC 5322); line endings are made CRLF and lines starting with `.` are stuffed.
    /// - Returns: The server's reply to the end of `DATA` (usually naming its queue id).
    /// - Throws: ``SMTPError``; ``SMTPError/isPermanent`` tells a 5xx refusal from what may pass.
    @discardableResult
    public func send(from sender: String, to recipients: [String], data: String, logger: Logger) async throws(SMTPError) -> SMTPReply {
        var connection = try await SMTPConnection.open(settings)
        defer { connection.close() }
        _ = try await connection.expect(nil, command: "the greeting", [220])
        var ehlo = try await connection.command("EHLO \(settings.heloName)")
        if settings.startTLS {
            guard ehlo.code == 250, ehlo.lines.contains(where: { $0.uppercased() == "STARTTLS" }) else {
                throw .refused(command: "STARTTLS (not offered)", reply: SMTPReply(code: 554, lines: ["the server does not offer STARTTLS"]))
            }
            try await connection.expect("STARTTLS", command: "STARTTLS", [220])
            try await connection.startTLS(settings)
            // RFC 3207: forget what was learnt before TLS and greet again.
            ehlo = try await connection.expect("EHLO \(settings.heloName)", command: "EHLO after STARTTLS", [250])
        }
        if !ehlo.isPositive {
            ehlo = try await connection.expect("HELO \(settings.heloName)", command: "HELO", [250])
        }
        if let username = settings.username, let password = settings.password {
            try await authenticate(username: username, password: password, ehlo: ehlo, on: &connection)
        }
        try await connection.expect("MAIL FROM:<\(sender)>", command: "MAIL FROM", [250])
        for recipient in recipients {
            try await connection.expect("RCPT TO:<\(recipient)>", command: "RCPT TO:<\(recipient)>", [250, 251])
        }
        try await connection.expect("DATA", command: "DATA", [354])
        let accepted = try await connection.expect(Self.dotStuffed(data) + ".", command: "the message", [250])
        _ = try? await connection.command("QUIT")
        logger.debug("SMTP message accepted", metadata: ["reply": "\(accepted)"])
        return accepted
    }

    private func authenticate(username: String, password: String, ehlo: SMTPReply, on connection: inout SMTPConnection) async throws(SMTPError) {
        let mechanisms = ehlo.lines.first { $0.uppercased().hasPrefix("AUTH") }?.uppercased().split(separator: " ").dropFirst().map(String.init) ?? []
        if mechanisms.contains("PLAIN") || !mechanisms.contains("LOGIN") {
            let token = Data("\0\(username)\0\(password)".utf8).base64EncodedString()
            try await connection.expect("AUTH PLAIN \(token)", command: "AUTH PLAIN", [235])
        } else {
            try await connection.expect("AUTH LOGIN", command: "AUTH LOGIN", [334])
            try await connection.expect(Data(username.utf8).base64EncodedString(), command: "the AUTH LOGIN user name", [334])
            try await connection.expect(Data(password.utf8).base64EncodedString(), command: "the AUTH LOGIN password", [235])
        }
    }

    /// `data` with CRLF line endings, each line starting with `.` given another (RFC 5321 §4.5.2),
    /// and a final line break, ready for the terminating `.`.
    static func dotStuffed(_ data: String) -> String {
        let normalized = data.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        var lines = normalized.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasPrefix(".") ? "." + $0 : String($0) }
        if lines.last == "" { lines.removeLast() }
        return lines.map { $0 + "\r\n" }.joined()
    }
}

/// One open SMTP connection: commands out, replies in.
struct SMTPConnection {
    let channel: any Channel
    var replies: AsyncThrowingStream<SMTPReply, any Error>.AsyncIterator

    static func open(_ settings: SMTPSettings) async throws(SMTPError) -> SMTPConnection {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: SMTPReply.self)
        let timeout = TimeAmount.nanoseconds(
            Int64(settings.timeout.components.seconds) * 1_000_000_000 + settings.timeout.components.attoseconds / 1_000_000_000)
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(timeout)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandlers(
                            IdleStateHandler(readTimeout: timeout),
                            ByteToMessageHandler(SMTPLineDecoder()),
                            SMTPReplyHandler(replies: continuation)
                        )
                    }
                }
                .connect(host: settings.host, port: settings.port).get()
            return SMTPConnection(channel: channel, replies: stream.makeAsyncIterator())
        } catch {
            throw .connectionFailed("\(settings.host):\(settings.port): \(error)")
        }
    }

    /// Sends `line` (when given) and returns the reply, whatever its code.
    mutating func command(_ line: String?) async throws(SMTPError) -> SMTPReply {
        do {
            if let line { try await channel.writeAndFlush(ByteBuffer(string: line + "\r\n")).get() }
            guard let reply = try await replies.next() else { throw SMTPError.noReply("the server closed the connection") }
            return reply
        } catch let error as SMTPError {
            throw error
        } catch {
            throw .noReply("\(error)")
        }
    }

    /// Sends `line` and requires one of `codes` in reply.
    @discardableResult
    mutating func expect(_ line: String?, command name: String, _ codes: Set<Int>) async throws(SMTPError) -> SMTPReply {
        let reply = try await command(line)
        guard codes.contains(reply.code) else { throw .refused(command: name, reply: reply) }
        return reply
    }

    /// Puts TLS under the connection, verifying the server's certificate against its host name
    /// (or, for an IP address, against the address) and the trusted authorities.
    func startTLS(_ settings: SMTPSettings) async throws(SMTPError) {
        do {
            var configuration = TLSConfiguration.makeClientConfiguration()
            if let file = settings.trustedCertificatesFile { configuration.trustRoots = .file(file) }
            let context = try NIOSSLContext(configuration: configuration)
            let isAddress = settings.host.allSatisfy { $0.isHexDigit || $0 == "." || $0 == ":" }
            let hostname: String? = isAddress ? nil : settings.host
            try await channel.eventLoop.submit { [channel] in
                try channel.pipeline.syncOperations.addHandler(NIOSSLClientHandler(context: context, serverHostname: hostname), position: .first)
            }.get()
        } catch {
            throw .connectionFailed("TLS with \(settings.host): \(error)")
        }
    }

    func close() {
        channel.close(promise: nil)
    }
}
