public import EmporiumCore
public import Logging

/// Delivers through an SMTP server. A 4xx reply, a timeout or a refused connection is tried again
/// with backoff and jitter; a 5xx reply is a permanent failure at once.
public struct SMTPTransport: EmailTransport {
    let client: SMTPClient
    let retry: RetryPolicy

    /// Creates the transport.
    /// - Parameters:
    ///   - settings: The server.
    ///   - retry: Attempts and backoff for temporary failures.
    public init(settings: SMTPSettings, retry: RetryPolicy = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(200), maxDelay: .seconds(5))) {
        self.client = SMTPClient(settings: settings)
        self.retry = retry
    }

    public var destination: String { "smtp://\(client.settings.host):\(client.settings.port)" }

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
