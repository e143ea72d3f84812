/// One reply of an SMTP server: a three-digit code and its text lines (RFC 5321 §4.2).
public struct SMTPReply: Sendable, Equatable, CustomStringConvertible {
    /// The reply code (`250`).
    public var code: Int
    /// The text of each line, without the code.
    public var lines: [String]

    /// 2xx: done; 3xx: go on (`354` after `DATA`).
    public var isPositive: Bool { (200..<400).contains(code) }
    /// 4xx: a temporary failure; the same command may succeed later.
    public var isTransient: Bool { (400..<500).contains(code) }

    public var description: String { "\(code) \(lines.joined(separator: " / "))" }
}

/// Why an SMTP exchange failed.
public enum SMTPError: Error, Sendable, CustomStringConvertible {
    /// The server refused a command.
    case refused(command: String, reply: SMTPReply)
    /// No connection could be made.
    case connectionFailed(String)
    /// The server did not answer in time, or closed the connection.
    case noReply(String)
    /// The server answered something that is not SMTP.
    case malformedReply(String)

    /// Whether repeating the message later cannot help: a 5xx reply.
    public var isPermanent: Bool {
        if case .refused(_, let reply) = self { return !reply.isTransient }
        return false
    }

    public var description: String {
        switch self {
        case .refused(let command, let reply): "the server refused \(command): \(reply)"
        case .connectionFailed(let reason): "no connection: \(reason)"
        case .noReply(let reason): "no reply: \(reason)"
        case .malformedReply(let line): "not an SMTP reply: \(line)"
        }
    }
}
