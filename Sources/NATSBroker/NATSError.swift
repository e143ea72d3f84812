#if NATS
import CNats

/// A nats.c call that failed, with the library's explanation. Callers never see `natsStatus`.
public struct NATSError: Error, CustomStringConvertible {
    /// What was being done (`connect to nats://127.0.0.1:4222`).
    public let operation: String
    /// nats.c's status text, and the JetStream error code when there is one.
    public let reason: String

    init(_ operation: String, status: natsStatus, jetStreamCode: jsErrCode? = nil) {
        self.operation = operation
        var reason = String(cString: natsStatus_GetText(status))
        var lastStatus = NATS_OK
        if let detail = nats_GetLastError(&lastStatus), lastStatus == status {
            let text = String(cString: detail)
            if !text.isEmpty && text != reason { reason += ": \(text)" }
        }
        if let jetStreamCode, jetStreamCode.rawValue != 0 { reason += " (JetStream error \(jetStreamCode.rawValue))" }
        self.reason = reason
    }

    init(_ operation: String, reason: String) {
        self.operation = operation
        self.reason = reason
    }

    /// A sentence for logs.
    public var description: String { "NATS: could not \(operation): \(reason)" }
}

/// Throws a ``NATSError`` unless `status` is `NATS_OK`.
func check(_ status: natsStatus, _ operation: @autoclosure () -> String, jetStreamCode: jsErrCode? = nil) throws {
    guard status == NATS_OK else { throw NATSError(operation(), status: status, jetStreamCode: jetStreamCode) }
}
#endif
