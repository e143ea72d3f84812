/// One SMTP conversation as the simulated email service holds it (RFC 5321's minimum: `EHLO` or
/// `HELO`, `MAIL FROM`, `RCPT TO`, `DATA`, `RSET`, `NOOP`, `QUIT`), one line in at a time.
///
/// It decides the replies; the ``SMTPServer`` sends them, and stores each message it completes
/// (``Action/deliver(_:)``), answering for it.
struct SMTPSession {
    /// A message whose `DATA` ended: its envelope and its text, dot-unstuffed, lines joined by CRLF.
    struct Message: Sendable, Equatable {
        var sender: String
        var recipients: [String]
        var text: String
    }

    /// What the server does after a line.
    enum Action: Equatable {
        /// Send this reply.
        case reply(String)
        /// Send this reply and close the connection.
        case close(String)
        /// Nothing yet: a line of the message.
        case none
        /// The message is complete: store it (or refuse it) and reply.
        case deliver(Message)
    }

    /// The largest message taken, in bytes.
    static let maximumMessageBytes = 10 * 1024 * 1024

    private enum Stage {
        case connected
        case greeted
        case mail(sender: String, recipients: [String])
        case data(sender: String, recipients: [String], lines: [String], bytes: Int)
    }

    private var stage = Stage.connected
    /// The server's name in its greeting and replies.
    let serverName: String

    /// The greeting a new connection gets.
    var greeting: String { "220 \(serverName) ESMTP simulated email service" }

    init(serverName: String) {
        self.serverName = serverName
    }

    /// Takes one line (without its line break) and says what to do.
    mutating func receive(_ line: String) -> Action {
        if case .data(let sender, let recipients, var lines, let bytes) = stage {
            if line == "." {
                stage = .greeted
                return .deliver(Message(sender: sender, recipients: recipients, text: lines.joined(separator: "\r\n") + "\r\n"))
            }
            let unstuffed = line.hasPrefix(".") ? String(line.dropFirst()) : line
            let size = bytes + unstuffed.utf8.count + 2
            guard size <= Self.maximumMessageBytes else {
                stage = .greeted
                return .close("552 5.3.4 The message is larger than \(Self.maximumMessageBytes) bytes")
            }
            lines.append(unstuffed)
            stage = .data(sender: sender, recipients: recipients, lines: lines, bytes: size)
            return .none
        }
        let verb = line.prefix { $0 != " " }.uppercased()
        let argument = line.dropFirst(verb.count).drop { $0 == " " }
        switch verb {
        case "EHLO":
            stage = .greeted
            return .reply("250-\(serverName) greets \(argument)\r\n250-8BITMIME\r\n250 SIZE \(Self.maximumMessageBytes)")
        case "HELO":
            stage = .greeted
            return .reply("250 \(serverName)")
        case "MAIL":
            guard case .greeted = stage else { return .reply("503 5.5.1 Say EHLO first, and MAIL once per message") }
            guard let sender = Self.address(argument, after: "FROM:") else { return .reply("501 5.5.4 MAIL FROM:<address> is expected") }
            stage = .mail(sender: sender, recipients: [])
            return .reply("250 2.1.0 OK")
        case "RCPT":
            guard case .mail(let sender, let recipients) = stage else { return .reply("503 5.5.1 MAIL FROM comes first") }
            guard let recipient = Self.address(argument, after: "TO:"), !recipient.isEmpty else {
                return .reply("501 5.5.4 RCPT TO:<address> is expected")
            }
            stage = .mail(sender: sender, recipients: recipients + [recipient])
            return .reply("250 2.1.5 OK")
        case "DATA":
            guard case .mail(let sender, let recipients) = stage, !recipients.isEmpty else {
                return .reply("503 5.5.1 RCPT TO comes first")
            }
            stage = .data(sender: sender, recipients: recipients, lines: [], bytes: 0)
            return .reply("354 End the message with a line holding only a period")
        case "RSET":
            if case .connected = stage {} else { stage = .greeted }
            return .reply("250 2.0.0 OK")
        case "NOOP":
            return .reply("250 2.0.0 OK")
        case "QUIT":
            return .close("221 2.0.0 \(serverName) closes the connection")
        default:
            return .reply("502 5.5.2 \(verb.isEmpty ? "An empty command" : verb) is not served here")
        }
    }

    /// The address in `FROM:<a@b>` or `TO:<a@b>` (parameters after it ignored), or nil.
    static func address(_ argument: Substring, after keyword: String) -> String? {
        guard argument.uppercased().hasPrefix(keyword) else { return nil }
        let rest = argument.dropFirst(keyword.count).drop { $0 == " " }
        guard rest.hasPrefix("<"), let close = rest.firstIndex(of: ">") else { return nil }
        return String(rest[rest.index(after: rest.startIndex)..<close])
    }
}
