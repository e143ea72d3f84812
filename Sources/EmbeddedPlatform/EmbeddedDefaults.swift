public import Configuration
public import Contracts
import EmporiumCore
import Foundation

/// The embedded mode's own layer of configuration, below the flags and the environment: every
/// component except the gateway on a free loopback port, each database a SQLite file in the data
/// directory, mail over SMTP to the email simulator, which writes it as `.eml` files there, the demo data on, and new random secrets shared between
/// each client and the simulator or provider it calls. Every component then reads its settings
/// with the same `…Settings(config:)` as `emporium serve` does, so every key works in both modes.
///
/// Configuration keys of the embedded mode itself, under `emporium`:
/// - `emporium.data-dir` (string, default `.emporium`): the data directory;
/// - `emporium.demo.enabled` (bool, default true): seed the demo catalog and accounts;
/// - `emporium.demo.password` (string, default `emporium-demo`): the demo accounts' password;
/// - `emporium.traces.to-console` (bool, default true): when no `OTEL_*` variable chooses an
///   exporter, every component exports its spans to the console, whose trace pages show them.
public struct EmbeddedDefaults: Sendable {
    /// Where the SQLite files, the mail and the identity provider's port live.
    public let dataDirectory: String
    /// Whether the demo data is seeded.
    public let seedsDemoData: Bool
    /// The demo accounts' password.
    public let demoPassword: String
    /// Whether the components export their spans to the console unless `OTEL_*` says otherwise.
    public let tracesToConsole: Bool

    /// Reads the embedded mode's own keys from `config` (the flags and the environment).
    public init(config: ConfigReader) {
        dataDirectory = config.string(forKey: "emporium.data-dir", default: ".emporium")
        seedsDemoData = config.bool(forKey: "emporium.demo.enabled", default: true)
        demoPassword = config.string(forKey: "emporium.demo.password", isSecret: true, default: DemoAccount.defaultPassword)
        tracesToConsole = config.bool(forKey: "emporium.traces.to-console", default: true)
    }

    /// Where notifications are written as `.eml` files: `mail/` in the data directory.
    public var mailDirectory: String { path("mail") }

    /// A path in the data directory.
    func path(_ name: String) -> String {
        URL(fileURLWithPath: dataDirectory).appendingPathComponent(name).path
    }

    /// Where `component` keeps its SQLite file.
    public func databasePath(of component: Component) -> String {
        path("\(component.rawValue).sqlite")
    }

    /// The layer itself.
    /// - Parameter identityProviderPort: The port the identity provider binds (kept across
    ///   restarts, so that its issuer URL and the tokens it signed stay valid), 0 for a free one.
    public func layer(identityProviderPort: Int) -> any ConfigProvider {
        var layer = ConfigurationLayer()
        for component in Component.allCases where component != .gateway {
            layer.set("\(component.configScope).http.host", "127.0.0.1")
            layer.set("\(component.configScope).http.port", component == .idp ? identityProviderPort : 0)
        }
        // The components' exporters are made before the console binds: its port is chosen now.
        if tracesToConsole {
            layer.set("console.http.port", FreeLoopbackPort.pick())
            layer.setSecret("console.traces.ingest-key", ClientCredentials.randomSecret())
        }
        for component in Component.services + [.storefront, .idp, .paymentGateway, .shipping] {
            layer.set("\(component.configScope).database.url", "sqlite:" + databasePath(of: component))
        }
        for service in Component.services {
            layer.set("\(service.configScope).demo.enabled", seedsDemoData)
        }
        if seedsDemoData { layer.setSecret("idp.demo.password", demoPassword) }
        // Mail goes over SMTP to the email simulator, which writes each message to the mail
        // directory; port 0 here stands for the simulator's, found once it listens (EmbeddedSettings).
        layer.set("email.smtp.port", 0)
        layer.set("email.mail.directory", mailDirectory)
        layer.set("notification.mail.smtp.host", "127.0.0.1")
        layer.set("notification.mail.smtp.port", 0)
        layer.set("notification.mail.smtp.starttls", false)
        // The components find the identity provider, each other and the simulators through the
        // platform itself (``EmbeddedSettings``): these URLs only satisfy the keys `serve` requires.
        let issuer = "http://127.0.0.1:\(identityProviderPort)"
        layer.set("idp.issuer-url", issuer)
        for component in Component.services + [.gateway, .storefront, .console] { layer.set("\(component.configScope).auth.issuer-url", issuer) }
        // The storefront's and the console's sign-ins come back through the gateway, whose URL ``EmbeddedSettings`` fills in.
        layer.set("idp.client.storefront.redirect-uris", "http://127.0.0.1/session/callback")
        layer.set("idp.client.console.redirect-uris", "http://127.0.0.1/console/session/callback")
        layer.setSecret("console.session-secret", ClientCredentials.randomSecret())
        // New at each start: a form left open across a restart asks to be reloaded.
        layer.setSecret("storefront.session-secret", ClientCredentials.randomSecret())
        // New at each start: each pair is the client's copy and the server's.
        let shippingKey = ClientCredentials.randomSecret()
        layer.setSecret("order.shipping.api-key", shippingKey)
        layer.setSecret("shipping.api-key", shippingKey)
        // The console changes the simulators' faults with their operator keys.
        for simulator in Component.faultInjectable {
            let operatorKey = ClientCredentials.randomSecret()
            layer.setSecret("\(simulator.configScope).operator-key", operatorKey)
            layer.setSecret("console.faults.\(simulator.configScope).key", operatorKey)
        }
        let paymentGatewayKey = "sk_test_" + ClientCredentials.randomSecret()
        layer.setSecret("payment.payment-gateway.secret-key", paymentGatewayKey)
        layer.setSecret("payment-gateway.secret-key", paymentGatewayKey)
        for (service, client) in [
            (Component.user, "user-service"), (.payment, "payment-service"), (.storefront, "storefront"), (.console, "console"),
        ] {
            let secret = ClientCredentials.randomSecret()
            layer.setSecret("\(service.configScope).idp.client-secret", secret)
            layer.setSecret("idp.client.\(client).secret", secret)
        }
        return layer.provider(name: "embedded defaults")
    }
}
