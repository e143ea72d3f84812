import EmailService
import EmbeddedBroker
import EmporiumCore
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
import UserService

import Foundation

/// The whole platform in one process: every service and simulator on its own loopback port,
/// each with its own SQLite file, behind the gateway, so that every synchronous call is real HTTP;
/// events go through the embedded broker, whose log is `broker.sqlite` in the data directory.
public struct EmbeddedPlatform: Sendable {
    /// Every component's application, to run together in one `ServiceGroup`.
    public let services: [any Service]

    /// Opens and migrates every database, then prepares every component to start.
    /// - Parameters:
    ///   - options: Ports, data directory and demo data.
    ///   - logger: The base logger; each component labels its lines with its name.
    ///   - onReady: Called once, when every component listens.
    public static func build(
        options: EmbeddedPlatformOptions,
        logger: Logger,
        onReady: @escaping @Sendable (ReadyReport) async -> Void
    ) async throws -> EmbeddedPlatform {
        try FileManager.default.createDirectory(atPath: options.dataDirectory, withIntermediateDirectories: true)
        let directory = UpstreamDirectory()
        let tracker = StartupTracker(expected: Set(Component.allCases), directory: directory, gatewayHost: options.host, onReady: onReady)
        let onStarted: ServerStartedHandler = { name, port in await tracker.started(name, port: port) }
        let loopback = HTTPServerSettings(host: "127.0.0.1", port: 0, maxRequestBodyBytes: options.maxRequestBodyBytes)

        func file(_ name: String) -> String {
            URL(fileURLWithPath: options.dataDirectory).appendingPathComponent("\(name).sqlite").path
        }
        // Every component reads the issuer from where the embedded provider registers its port,
        // and service clients get new random secrets at each start.
        let auth = AuthSettings(issuer: .deferred { directory.baseURL(of: .idp) })
        let userCredentials = ClientCredentials(clientID: userServiceClientID, secret: ClientCredentials.randomSecret())
        let paymentCredentials = ClientCredentials(clientID: paymentServiceClientID, secret: ClientCredentials.randomSecret())
        func serviceSettings(_ component: Component) -> ServiceSettings {
            ServiceSettings(server: loopback, database: .sqliteFile(path: file(component.rawValue)), seedDemoData: options.seedDemoData, auth: auth)
        }
        // The provider keeps its port, hence its issuer URL, across restarts: tokens stay valid.
        let issuerPort = StableIssuerPort(file: URL(fileURLWithPath: options.dataDirectory).appendingPathComponent("idp.port"))
        var idpServer = loopback
        idpServer.port = issuerPort.portToBind()
        let idpSettings = IdentityProviderSettings(
            server: idpServer,
            database: .sqliteFile(path: file(Component.idp.rawValue)),
            issuer: auth.issuer,
            bcryptCost: options.bcryptCost,
            clients: [.storefront] + [userCredentials, paymentCredentials].compactMap { RegisteredClient.service($0.clientID, secret: $0.secret) },
            demoPassword: options.seedDemoData ? options.demoPassword : nil
        )

        let broker = try await EmbeddedBroker.open(location: .sqliteFile(path: file("broker")), logger: logger)
        // The five services open and migrate their own databases concurrently.
        async let idp = buildIdentityProviderSimulator(settings: idpSettings, logger: logger) { name, port in
            issuerPort.record(port)
            await onStarted(name, port)
        }
        // The simulators' API keys are new at each start, shared with the services that call them.
        let paymentGatewaySettings = PaymentGatewaySettings(
            server: loopback,
            database: .sqliteFile(path: file(Component.paymentGateway.rawValue)),
            secretKey: "sk_test_" + ClientCredentials.randomSecret(),
            faults: options.paymentGatewayFaults
        )
        async let paymentGateway = buildPaymentGatewaySimulator(settings: paymentGatewaySettings, logger: logger, onStarted: onStarted)
        let shippingSettings = ShippingAPISettings(
            server: loopback,
            database: .sqliteFile(path: file(Component.shipping.rawValue)),
            apiKey: ClientCredentials.randomSecret(),
            faults: options.shippingFaults
        )
        async let shipping = buildShippingAPISimulator(settings: shippingSettings, logger: logger, onStarted: onStarted)
        async let user = buildUserService(
            settings: serviceSettings(.user),
            credentials: userCredentials,
            broker: broker,
            logger: logger,
            onStarted: onStarted
        )
        async let product = buildProductService(settings: serviceSettings(.product), broker: broker, logger: logger, onStarted: onStarted)
        func location(_ component: Component) -> DependencyLocation {
            .deferred(component.rawValue) { directory.baseURL(of: component) }
        }
        let orderSettings = OrderSettings(
            service: serviceSettings(.order),
            product: location(.product),
            shipping: location(.shipping),
            shippingAPIKey: shippingSettings.apiKey,
            paymentWindow: options.paymentWindow,
            expiryInterval: min(.seconds(5), options.paymentWindow)
        )
        async let order = buildOrderService(settings: orderSettings, broker: broker, logger: logger, onStarted: onStarted)
        let paymentSettings = PaymentSettings(
            service: serviceSettings(.payment),
            order: location(.order),
            paymentGateway: location(.paymentGateway),
            paymentGatewaySecretKey: paymentGatewaySettings.secretKey,
            credentials: paymentCredentials
        )
        async let payment = buildPaymentService(settings: paymentSettings, broker: broker, logger: logger, onStarted: onStarted)
        // Mail goes to .eml files in the data directory, as Django's and Rails' development backends do.
        let notificationSettings = NotificationSettings(service: serviceSettings(.notification), transport: FileTransport(directory: options.mailDirectory))
        async let notification = buildNotificationService(
            settings: notificationSettings,
            broker: broker,
            logger: logger,
            onStarted: onStarted
        )
        // Every component's database is migrated before any component can be reached.
        let components: [any Service] = [
            try await user,
            try await product,
            try await order,
            try await payment,
            try await notification,
            try await idp,
            try await paymentGateway,
            buildEmailServiceSimulator(settings: loopback, logger: logger, onStarted: onStarted),
            try await shipping,
        ]
        let gatewaySettings = GatewaySettings(
            server: HTTPServerSettings(host: options.host, port: options.gatewayPort, maxRequestBodyBytes: options.maxRequestBodyBytes),
            upstreamTimeout: options.upstreamTimeout,
            readinessTargets: Component.allCases.filter { $0 != .gateway },
            auth: auth,
            rateLimits: options.rateLimits
        )
        let gateway = buildGateway(settings: gatewaySettings, directory: directory, logger: logger, onStarted: onStarted)
        return EmbeddedPlatform(services: ProcessServices(broker: broker.service, components: components, gateway: gateway).inStartOrder)
    }
}
