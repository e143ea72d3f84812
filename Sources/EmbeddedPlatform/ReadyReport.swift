public import Contracts
import EmporiumCore

/// What the platform looks like once every component listens.
public struct ReadyReport: Sendable {
    /// The gateway's base URL, with the port it really bound.
    public var gatewayURL: String
    /// The port each component bound.
    public var ports: [Component: Int]
    /// The data directory: one SQLite file per component, and the broker's log.
    public var dataDirectory: String
    /// Where notifications are written as `.eml` files (or, when the mail is configured to go
    /// to an SMTP server, that server).
    public var mailDirectory: String
}
