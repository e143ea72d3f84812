public import Configuration
import Contracts
public import EmailService
public import EmporiumCore

/// The Notification Service's settings.
///
/// Configuration keys, under the `notification` scope (`notification.mail.smtp.host` ↔ `NOTIFICATION_MAIL_SMTP_HOST`):
/// - everything of ``ServiceSettings``;
/// - `mail.smtp.host` (string): the SMTP server to submit mail to; with it, `mail.smtp.port` (int,
///   default 587), `mail.smtp.username` and `mail.smtp.password` (strings, optional),
///   `mail.smtp.starttls` (bool, default true: upgrade to TLS before authenticating) and
///   `mail.smtp.ca-file` (string, optional: a PEM of authorities to trust instead of the system's);
/// - `mail.directory` (string): `.eml` files are written here instead, even when an SMTP host is
///   set (one of the two is required);
/// - `mail.from` (string, default `shop@emporium.localhost`), `mail.from-name` (string, default `Emporium`);
/// - `templates-dir` (string, optional): templates that replace the built-in ones of the same name.
public struct NotificationSettings: Sendable {
    /// Where it listens, its database and how tokens are checked.
    public var service: ServiceSettings
    /// Where the mail goes.
    public var transport: any EmailTransport
    /// The sender of every notification.
    public var sender: EmailAddress
    /// A directory of templates that replace the built-in ones.
    public var templatesDirectory: String?

    /// Creates settings from values.
    public init(
        service: ServiceSettings, transport: any EmailTransport, sender: EmailAddress = EmailAddress("shop@emporium.localhost", name: "Emporium"),
        templatesDirectory: String? = nil
    ) {
        self.service = service
        self.transport = transport
        self.sender = sender
        self.templatesDirectory = templatesDirectory
    }

    /// Reads the settings from configuration scoped to `notification`.
    public init(config: ConfigReader) throws {
        let transport: any EmailTransport
        // Files win: they are how a developer keeps mail out of an SMTP server set below them
        // (the embedded mode sends to its email simulator unless told otherwise).
        if let directory = config.string(forKey: "mail.directory") {
            transport = FileTransport(directory: directory)
        } else if let host = config.string(forKey: "mail.smtp.host") {
            let port = try config.requiredPositiveOrZeroInt("mail.smtp.port", scope: "notification", default: 587)
            transport = SMTPTransport(
                settings: SMTPSettings(
                    host: host,
                    port: port,
                    username: config.string(forKey: "mail.smtp.username"),
                    password: config.string(forKey: "mail.smtp.password"),
                    startTLS: config.bool(forKey: "mail.smtp.starttls", default: true),
                    trustedCertificatesFile: config.string(forKey: "mail.smtp.ca-file")
                )
            )
        } else {
            throw InvalidConfiguration(
                key: "notification.mail.smtp.host", reason: "set an SMTP server, or notification.mail.directory for .eml files")
        }
        self.init(
            service: try ServiceSettings(config: config, component: .notification),
            transport: transport,
            sender: EmailAddress(
                config.string(forKey: "mail.from", default: "shop@emporium.localhost"),
                name: config.string(forKey: "mail.from-name", default: "Emporium")),
            templatesDirectory: config.string(forKey: "templates-dir")
        )
    }
}
