public import Configuration
import Console
import Contracts
import EmailService
import EmailSimulator
import EmbeddedBroker
import EmporiumCore
import Foundation
import Gateway
import IdentityProvider
public import Logging
import NotificationService
import OrderService
import PaymentGateway
import PaymentService
import ProductService
public import ServiceLifecycle
import ShippingAPI
import Storefront
import Synchronization
import UserService

/// The whole platform in one process: every service and simulator on its own loopback port,
/// each with its own SQLite file, behind the gateway, so that every synchronous call is real HTTP;
/// events go through the embedded broker, whose log is `broker.sqlite` in the data directory.
public struct EmbeddedPlatform: Sendable {
    /// Every component's application, to run together in one `ServiceGroup`.
    public let services: [any Service]

    /// Reads every component's settings, opens and migrates every database, then prepares every
    /// component to start.
    /// - Parameters:
    ///   - configuration: The configuration above the embedded defaults (``EmbeddedDefaults``),
    ///     first wins: the command's flags and the environment in `emporium run`, values of their
    ///     own in tests and benchmarks. Every component reads the keys `emporium serve` reads.
    ///   - logger: The base logger; each component labels its lines with its name.
    ///   - onReady: Called once, when every component listens.
    public static func build(
        configuration: [any ConfigProvider],
        logger: Logger,
        onReady: @escaping @Sendable (ReadyReport) async -> Void
    ) async throws -> EmbeddedPlatform {
        // A reader needs at least one provider; the embedded mode's own keys all have defaults.
        let defaults = EmbeddedDefaults(config: ConfigReader(providers: configuration.isEmpty ? [InMemoryProvider(values: [:])] : configuration))
        try FileManager.default.createDirectory(atPath: defaults.dataDirectory, withIntermediateDirectories: true)
        // The provider keeps its port, hence its issuer URL, across restarts: tokens stay valid.
        let issuerPort = StableIssuerPort(file: URL(fileURLWithPath: defaults.path("idp.port")))
        let config = ConfigReader(providers: configuration + [defaults.layer(identityProviderPort: issuerPort.portToBind())])
        let directory = UpstreamDirectory()
        let gatewayURL = Mutex<String?>(nil)
        var wired = try EmbeddedSettings(config: config, directory: directory) { gatewayURL.withLock { $0 } }
        if defaults.tracesToConsole { wired.exportSpansToConsole() }
        let settings = wired

        let tracker = StartupTracker(
            expected: Set(Component.allCases),
            directory: directory,
            gatewayHost: settings.gateway.server.host,
            dataDirectory: defaults.dataDirectory,
            mailDirectory: settings.mailDestination,
            onReady: onReady
        )
        let onStarted: ServerStartedHandler = { name, port in
            if name == Component.gateway.rawValue { gatewayURL.withLock { $0 = "http://127.0.0.1:\(port)" } }
            await tracker.started(name, port: port)
        }
        let broker = try await EmbeddedBroker.open(location: .sqliteFile(path: defaults.path("broker.sqlite")), logger: logger)
        // The components open and migrate their own databases concurrently.
        async let idp = buildIdentityProviderSimulator(settings: settings.idp, logger: logger) { name, port in
            issuerPort.record(port)
            await onStarted(name, port)
        }
        async let paymentGateway = buildPaymentGatewaySimulator(settings: settings.paymentGateway, logger: logger, onStarted: onStarted)
        async let shipping = buildShippingAPISimulator(settings: settings.shipping, logger: logger, onStarted: onStarted)
        async let user = buildUserService(settings: settings.user, broker: broker, logger: logger, onStarted: onStarted)
        async let product = buildProductService(settings: settings.product, broker: broker, logger: logger, onStarted: onStarted)
        async let order = buildOrderService(settings: settings.order, broker: broker, logger: logger, onStarted: onStarted)
        async let payment = buildPaymentService(settings: settings.payment, broker: broker, logger: logger, onStarted: onStarted)
        async let notification = buildNotificationService(settings: settings.notification, broker: broker, logger: logger, onStarted: onStarted)
        async let storefront = buildStorefront(settings: settings.storefront, logger: logger, onStarted: onStarted)
        async let console = buildConsole(settings: settings.console, logger: logger, onStarted: onStarted)
        // Every component's database is migrated before any component can be reached.
        // The external systems first, so that they stop last: a notification still being sent
        // while the platform stops finds the email service there.
        let components: [any Service] = [
            try await idp,
            try await paymentGateway,
            try buildEmailServiceSimulator(
                settings: settings.email, logger: logger, onStarted: onStarted, onSMTPListening: { settings.emailSMTPPort.record($0) }),
            try await shipping,
            try await user,
            try await product,
            try await order,
            try await payment,
            try await notification,
            try await storefront,
        ]
        let gateway = try buildGateway(settings: settings.gateway, directory: directory, logger: logger, onStarted: onStarted)
        // The console starts last so that it stops first, before the gateway: it asks every other
        // component for its health each second, and a connection a stopping server has accepted
        // but not yet served trips NIO's writer precondition (ADR 34).
        let process = ProcessServices(broker: broker.service, components: components, gateway: gateway)
        return EmbeddedPlatform(services: process.inStartOrder + [try await console])
    }
}
