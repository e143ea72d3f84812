#if NATS
    import CNats

    /// A nats.c call that failed, with the library's explanation. Callers never see `natsStatus`:
    /// they match ``code``, never the text.
    public struct NATSError: Error, CustomStringConvertible {
        /// What kind of failure it was.
        public enum Code: Sendable, Equatable {
            /// The connection is down or not yet up: nats.c is reconnecting, or no server answered.
            case notConnected
            /// The server did not answer in time.
            case timeout
            /// JetStream did not acknowledge some of the messages published.
            case notAcknowledged
            /// A delivery that this broker did not hand out was given back to it.
            case foreignDelivery
            /// Any other failure of the library: its status number, and JetStream's error code when
            /// it gave one.
            case library(status: UInt32, jetStream: UInt32?)
        }

        /// What kind of failure it was.
        public let code: Code
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
            let jetStream = jetStreamCode.map(\.rawValue).flatMap { $0 == 0 ? nil : UInt32($0) }
            if let jetStream { reason += " (JetStream error \(jetStream))" }
            self.reason = reason
            switch status {
            case NATS_TIMEOUT: code = .timeout
            case NATS_CONNECTION_CLOSED, NATS_CONNECTION_DISCONNECTED, NATS_NOT_YET_CONNECTED, NATS_NO_SERVER, NATS_STALE_CONNECTION:
                code = .notConnected
            default: code = .library(status: UInt32(status.rawValue), jetStream: jetStream)
            }
        }

        init(_ code: Code, _ operation: String, reason: String) {
            self.code = code
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
