public import EmporiumCore
public import Logging

/// Delivers through an SMTP server. A 4xx reply, a timeout or a refused connection is tried again
/// with backoff and jitter; a 5xx reply is a permanent failure at once.
public struct SMTPTransport: EmailTransport {
    /// The server, as configured.
    public let settings: SMTPSettings
    let retry: RetryPolicy
    /// The server's port as it is now, for a server that binds after this transport is made (the
    /// embedded mode's email simulator); nil uses ``settings``' port.
    let currentPort: (@Sendable () -> Int?)?

    /// Creates the transport.
    /// - Parameters:
    ///   - settings: The server.
    ///   - retry: Attempts and backoff for temporary failures.
    ///   - currentPort: Where the server listens now, asked at each message; until it answers, a
    ///     message fails as a temporary failure.
    public init(
        settings: SMTPSettings, retry: RetryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(200), maxDelay: .seconds(5)),
        currentPort: (@Sendable () -> Int?)? = nil
    ) {
        self.settings = settings
        self.retry = retry
        self.currentPort = currentPort
    }

    public var destination: String { "smtp://\(settings.host):\(currentPort?().map(String.init) ?? String(settings.port))" }

    private var client: SMTPClient {
        get throws(SMTPError) {
            guard let currentPort else { return SMTPClient(settings: settings) }
            guard let port = currentPort() else { throw .connectionFailed("the email service is not listening yet") }
            var settings = settings
            settings.port = port
            return SMTPClient(settings: settings)
        }
    }

    public func deliver(_ message: EmailMessage, logger: Logger) async throws(EmailDeliveryFailure) -> String {
        var attempt = 1
        while true {
            do {
                let reply = try await client.send(from: message.from.address, to: message.to.map(\.address), data: message.rfc5322(), logger: logger)
                logger.info("Email sent", metadata: ["message-id": "\(message.messageID)", "reply": "\(reply)"])
                return reply.description
            } catch {
                guard !error.isPermanent, attempt < retry.maxAttempts else {
                    throw EmailDeliveryFailure(isPermanent: error.isPermanent, reason: error.description)
                }
                logger.warning("Email delivery failed; trying again", metadata: ["error": "\(error)", "attempt": "\(attempt)"])
                do {
                    try await Task.sleep(for: retry.delay(afterAttempt: attempt))
                } catch {
                    throw EmailDeliveryFailure(isPermanent: false, reason: "cancelled")
                }
                attempt += 1
            }
        }
    }
}
