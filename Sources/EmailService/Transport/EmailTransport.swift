public import Logging

/// Where notifications' emails go: an SMTP server, or `.eml` files in development.
public protocol EmailTransport: Sendable {
    /// A sentence for the start-up banner and logs (`smtp://mail.example.com:587`, `files in ./.emporium/mail`).
    var destination: String { get }

    /// Delivers `message` to every recipient, or throws ``EmailDeliveryFailure``.
    /// - Returns: Where it went, for the log (a file path, the server's queue id).
    func deliver(_ message: EmailMessage, logger: Logger) async throws(EmailDeliveryFailure) -> String
}

/// A message could not be delivered.
public struct EmailDeliveryFailure: Error, Sendable, CustomStringConvertible {
    /// Whether trying again cannot help (an SMTP 5xx reply: the recipient or message is refused),
    /// as opposed to a failure that may pass (a 4xx reply, a timeout, a refused connection).
    public var isPermanent: Bool
    /// What went wrong.
    public var reason: String

    /// Creates a failure.
    public init(isPermanent: Bool, reason: String) {
        self.isPermanent = isPermanent
        self.reason = reason
    }

    /// A sentence for logs and dead letters.
    public var description: String { (isPermanent ? "permanent" : "temporary") + " delivery failure: " + reason }
}
