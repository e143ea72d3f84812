public import Configuration
import Contracts
public import EmporiumCore
public import SimulatorSupport

/// The email-service simulator's settings.
///
/// Configuration keys, under the `email` scope (`email.smtp.port` ↔ `EMAIL_SMTP_PORT`):
/// - `http.*`: see ``HTTPServerSettings`` (default port 8092): health and the faults' routes.
/// - `smtp.port` (int, default 2525; `0` picks a free one): the SMTP port mail is submitted to
///   (on `http.host`), without TLS or authentication.
/// - `mail.directory` (string, default `mail`): where each message received is written as an
///   `.eml` file.
/// - `latency-ms`, `spike-rate`, `spike-ms`, `error-rate`: see ``InjectedFaults``; a failing
///   message is refused with a 554 (permanent) at the end of its `DATA`.
/// - `operator-key` (string, optional): lets an operator who presents it change the faults at run
///   time (``FaultRoutes``, `PUT /simulator/faults`); without it they stay as configured.
public struct EmailSimulatorSettings: Sendable {
    /// Where its HTTP side listens.
    public var server: HTTPServerSettings
    /// Its SMTP port.
    public var smtpPort: Int
    /// Where received messages go.
    public var mailDirectory: String
    /// Delay and refusals added on purpose.
    public var faults: InjectedFaults
    /// The key that lets an operator change the faults at run time; nil: they cannot be changed.
    public var operatorKey: String?

    /// The SMTP port when none is configured.
    public static let defaultSMTPPort = 2525

    /// Creates settings from values.
    public init(server: HTTPServerSettings, smtpPort: Int, mailDirectory: String, faults: InjectedFaults = .none, operatorKey: String? = nil) {
        self.server = server
        self.smtpPort = smtpPort
        self.mailDirectory = mailDirectory
        self.faults = faults
        self.operatorKey = operatorKey
    }

    /// Reads the settings from configuration scoped to `email`.
    public init(config: ConfigReader) throws {
        let scope = Component.email.configScope
        self.init(
            server: try HTTPServerSettings(config: config, scope: scope, defaultPort: Component.email.defaultPort),
            smtpPort: try config.requiredPositiveOrZeroInt("smtp.port", scope: scope, default: Self.defaultSMTPPort),
            mailDirectory: config.string(forKey: "mail.directory", default: "mail"),
            faults: try InjectedFaults(config: config, scope: scope),
            operatorKey: config.string(forKey: "operator-key", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        )
    }
}
