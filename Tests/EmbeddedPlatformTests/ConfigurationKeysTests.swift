import Configuration
import Contracts
import EmbeddedPlatform
import EmporiumCore
import Foundation
import Gateway
import IdentityProvider
import NotificationService
import OrderService
import PaymentGateway
import PaymentService
import ShippingAPI
import Storefront
import Synchronization
import Testing
import UserService

/// docs/configuration.md lists every configuration key, and the list is kept true: every key a
/// component reads, in either mode, is listed there with its environment spelling, and every key
/// listed there is read.
@Suite(.timeLimit(.minutes(1))) struct ConfigurationKeysTests {
    /// Every key read through a reader that reports to it.
    final class ReadKeys: AccessReporter {
        private let keys = Mutex<Set<String>>([])
        func report(_ event: AccessEvent) {
            _ = keys.withLock { $0.insert(event.metadata.key.description) }
        }
        var all: Set<String> { keys.withLock { $0 } }
    }

    struct Entry: Equatable {
        var key: String
        var environment: String
    }

    /// The table rows of docs/configuration.md: `| \`key\` | \`ENV\` | …`.
    static func documented() throws -> [Entry] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/configuration.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(separator: "\n").compactMap { line -> Entry? in
            let cells = line.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count > 3, cells[1].hasPrefix("`"), cells[2].hasPrefix("`") else { return nil }
            return Entry(key: cells[1].trimmingCharacters(in: ["`"]), environment: cells[2].trimmingCharacters(in: ["`"]))
        }
    }

    /// The keys the embedded mode reads: its own and every component's, through its defaults.
    static func readByTheEmbeddedMode() throws -> Set<String> {
        let reporter = ReadKeys()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString)").path
        var given = ConfigurationLayer()
        given.set("emporium.data-dir", directory)
        let config = ConfigReader(providers: [given.provider(name: "test")], accessReporter: reporter)
        let defaults = EmbeddedDefaults(config: config)
        let layered = ConfigReader(providers: [given.provider(name: "test"), defaults.layer(identityProviderPort: 0)], accessReporter: reporter)
        _ = try EmbeddedSettings(config: layered, directory: UpstreamDirectory()) { nil }
        _ = config.string(forKey: ConfigKey(ConfigurationKeys.logLevel))
        return reporter.all
    }

    /// The keys `emporium serve` reads for each component, given the values each requires (and
    /// an SMTP server, so that the mail keys are read too).
    static func readByServe() throws -> Set<String> {
        let reporter = ReadKeys()
        var required = ConfigurationLayer()
        for component in Component.allCases {
            required.set("\(component.configScope).database.url", "sqlite::memory:")
            required.set("\(component.configScope).auth.issuer-url", "http://127.0.0.1:8090")
        }
        for (key, value) in [
            ("idp.issuer-url", "http://127.0.0.1:8090"), ("user.idp.client-secret", "s"), ("payment.idp.client-secret", "s"),
            ("order.shipping.api-key", "k"), ("payment.payment-gateway.secret-key", "k"), ("payment-gateway.secret-key", "k"),
            ("shipping.api-key", "k"), ("notification.mail.smtp.host", "127.0.0.1"),
            ("storefront.session-secret", String(repeating: "s", count: 32)), ("storefront.idp.client-secret", "s"),
            ("idp.client.storefront.secret", "s"), ("idp.client.storefront.redirect-uris", "https://shop.example/session/callback"),
        ] {
            required.set(key, value)
        }
        let root = ConfigReader(providers: [required.provider(name: "test")], accessReporter: reporter)
        func scoped(_ component: Component) -> ConfigReader { root.scoped(to: ConfigKey(component.configScope)) }
        _ = try GatewaySettings(config: scoped(.gateway))
        _ = try UserSettings(config: scoped(.user))
        _ = try ServiceSettings(config: scoped(.product), component: .product)
        _ = try OrderSettings(config: scoped(.order))
        _ = try PaymentSettings(config: scoped(.payment))
        _ = try NotificationSettings(config: scoped(.notification))
        _ = try StorefrontSettings(config: scoped(.storefront))
        _ = try IdentityProviderSettings(config: scoped(.idp))
        _ = try PaymentGatewaySettings(config: scoped(.paymentGateway))
        _ = try HTTPServerSettings(config: scoped(.email), scope: Component.email.configScope, defaultPort: Component.email.defaultPort)
        _ = try ShippingAPISettings(config: scoped(.shipping))
        return reporter.all
    }

    @Test func everyKeyReadInEitherModeIsDocumented() throws {
        let documented = Set(try Self.documented().map(\.key))
        let read = try Self.readByTheEmbeddedMode().union(try Self.readByServe())
        let missing = read.subtracting(documented).sorted()
        #expect(missing.isEmpty, "read in code but not in docs/configuration.md: \(missing)")
    }

    @Test func everyDocumentedKeyIsReadSomewhere() throws {
        let read = try Self.readByTheEmbeddedMode().union(try Self.readByServe())
        let stale = Set(try Self.documented().map(\.key)).subtracting(read).sorted()
        #expect(stale.isEmpty, "in docs/configuration.md but read nowhere: \(stale)")
    }

    @Test func everyEnvironmentSpellingIsTheKeys() throws {
        for entry in try Self.documented() {
            let expected = entry.key.uppercased().replacingOccurrences(of: ".", with: "_").replacingOccurrences(of: "-", with: "_")
            #expect(entry.environment == expected, "\(entry.key)")
        }
    }

    @Test func aKeyOfServeWorksInTheEmbeddedModeToo() throws {
        // The payment window had no embedded path before: the same key now reaches the same setting.
        var given = ConfigurationLayer()
        given.set("order.payment-window-seconds", 42)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("config-\(UUID().uuidString)").path
        given.set("emporium.data-dir", directory)
        let defaults = EmbeddedDefaults(config: ConfigReader(provider: given.provider(name: "test")))
        let settings = try EmbeddedSettings(
            config: ConfigReader(providers: [given.provider(name: "test"), defaults.layer(identityProviderPort: 0)]),
            directory: UpstreamDirectory()
        ) { nil }
        #expect(settings.order.paymentWindow == .seconds(42))
        #expect(settings.product.server.port == 0, "the embedded defaults put every component but the gateway on a free port")
    }
}
