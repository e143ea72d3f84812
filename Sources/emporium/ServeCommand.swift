public import ArgumentParser
import Configuration
import EmailService
import EmporiumCore
import Gateway
import IdentityProvider
import Logging
import ServiceLifecycle
import NotificationService
import OrderService
import PaymentGateway
import PaymentService
import ProductService
import ShippingAPI
import UserService

#if NATS
import NATSBroker
#endif

extension Component: ExpressibleByArgument {}

/// `emporium serve <component>`: one component in this process, for the distributed mode.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run exactly one component (distributed mode).",
        discussion: """
            Environment variables are scoped by component: replace <C> with PRODUCT, ORDER, \
            PAYMENT_GATEWAY… (the component name upper-cased, '-' as '_').
            """
    )

    @Argument(help: "The component to run.")
    var component: Component

    @Option(help: "The address to bind. (env: <C>_HTTP_HOST; default 127.0.0.1)")
    var host: String?

    @Option(help: "The port to bind; 0 picks a free one. (env: <C>_HTTP_PORT; default per component, 8080–8093)")
    var port: Int?

    @Option(help: "The largest request body accepted, in bytes. (env: <C>_HTTP_MAX_BODY_BYTES; default 1048576)")
    var maxBodyBytes: Int?

    @Option(help: "Which instance of the component this is, in every log line and health report. (env: <C>_INSTANCE_ID; default <host>-<pid>)")
    var instanceID: String?

    @Option(help: "Services, idp, payment-gateway and shipping: sqlite:<path> or postgres://user:password@host/db. (env: <C>_DATABASE_URL; required)")
    var databaseURL: String?

    @Option(help: "With a postgres:// database: the most connections this process opens to it. (env: <C>_DATABASE_MAX_CONNECTIONS; default 8)")
    var databaseMaxConnections: Int?

    @Option(
        help: """
            The identity provider's issuer URL, e.g. http://127.0.0.1:8090: tokens must name it, and their keys are \
            discovered from it. For idp, the URL it is reached at. (env: <C>_AUTH_ISSUER_URL, for idp IDP_ISSUER_URL; \
            required for the gateway, the services and idp) Secrets come from the environment only: \
            USER_IDP_CLIENT_SECRET for user, ORDER_SHIPPING_API_KEY for order, PAYMENT_IDP_CLIENT_SECRET and \
            PAYMENT_PAYMENT_GATEWAY_SECRET_KEY for payment, IDP_CLIENT_<ID>_SECRET (USER_SERVICE, PAYMENT_SERVICE, \
            OPERATOR) for idp, PAYMENT_GATEWAY_SECRET_KEY for payment-gateway, SHIPPING_API_KEY for shipping.
            """
    )
    var issuerURL: String?

    @Flag(help: "Services only: seed demonstration data into an empty database. (env: <C>_DEMO_ENABLED)")
    var demo = false

    @Option(
        help: """
            Services only: the NATS JetStream server, nats://host:4222 (needs a build with --traits NATS). \
            Without one, events wait in the service's outbox. (env: <C>_BROKER_URL)
            """
    )
    var brokerURL: String?

    @Option(help: "Gateway only: the User Service's base URL. (env: GATEWAY_UPSTREAM_USER_URL; default http://127.0.0.1:8081)")
    var userURL: String?
    @Option(
        help: "Gateway and order: the Product Service's base URL, or its instances' separated by commas. (env: GATEWAY_UPSTREAM_PRODUCT_URL, ORDER_PRODUCT_URL; default http://127.0.0.1:8082)"
    )
    var productURL: String?
    @Option(
        help: "Gateway and payment: the Order Service's base URL, or its instances' separated by commas. (env: GATEWAY_UPSTREAM_ORDER_URL, PAYMENT_ORDER_URL; default http://127.0.0.1:8083)"
    )
    var orderURL: String?
    @Option(help: "Order only: the shipping API's base URL. (env: ORDER_SHIPPING_URL; default http://127.0.0.1:8093)")
    var shippingURL: String?
    @Option(help: "Payment only: the payment gateway's base URL. (env: PAYMENT_PAYMENT_GATEWAY_URL; default http://127.0.0.1:8091)")
    var paymentGatewayURL: String?
    @Option(help: "Gateway only: the Payment Service's base URL. (env: GATEWAY_UPSTREAM_PAYMENT_URL; default http://127.0.0.1:8084)")
    var paymentURL: String?
    @Option(
        help: "Gateway only: the Notification Service's base URL. (env: GATEWAY_UPSTREAM_NOTIFICATION_URL; default http://127.0.0.1:8085)"
    )
    var notificationURL: String?
    @Option(help: "Gateway only: the identity provider's base URL. (env: GATEWAY_UPSTREAM_IDP_URL; default http://127.0.0.1:8090)")
    var idpURL: String?
    @Option(help: "Gateway only: how long an upstream may take to answer, in ms. (env: GATEWAY_UPSTREAM_TIMEOUT_MS; default 10000)")
    var upstreamTimeoutMs: Int?

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        let isService = Component.services.contains(component)
        if !isService, demo || brokerURL != nil {
            throw ValidationError("--demo and --broker-url apply only to \(Component.services.map(\.rawValue).joined(separator: ", ")).")
        }
        if !isService, component == .email || component == .gateway, databaseURL != nil || databaseMaxConnections != nil {
            throw ValidationError("--database-url and --database-max-connections apply only to idp, payment-gateway, shipping and \(Component.services.map(\.rawValue).joined(separator: ", ")).")
        }
        if Component.simulators.contains(component), component != .idp, issuerURL != nil {
            throw ValidationError("--issuer-url applies only to the gateway, the services and idp.")
        }
        let gatewayOnly: [Any?] = [userURL, paymentURL, notificationURL, idpURL, upstreamTimeoutMs]
        if component != .gateway, gatewayOnly.contains(where: { $0 != nil }) {
            throw ValidationError("The upstream options apply only to the gateway.")
        }
        let dependencyOptions: [(String, Any?, Set<Component>)] = [
            ("--product-url", productURL, [.gateway, .order]), ("--order-url", orderURL, [.gateway, .payment]),
            ("--shipping-url", shippingURL, [.order]), ("--payment-gateway-url", paymentGatewayURL, [.payment]),
        ]
        for (option, value, components) in dependencyOptions where value != nil && !components.contains(component) {
            throw ValidationError("\(option) applies only to \(components.map(\.rawValue).sorted().joined(separator: " and ")).")
        }
    }

    func run() async throws {
        let scope = component.configScope
        var layers = ConfigurationLayers()
        layers.set("\(scope).http.host", host)
        layers.set("\(scope).http.port", port)
        layers.set("\(scope).http.max-body-bytes", maxBodyBytes)
        layers.set("\(scope).instance-id", instanceID)
        layers.set("\(scope).database.url", databaseURL)
        layers.set("\(scope).database.max-connections", databaseMaxConnections)
        layers.set("\(scope).demo.enabled", demo ? true : nil)
        layers.set("\(scope).broker.url", brokerURL)
        layers.set(component == .idp ? "idp.issuer-url" : "\(scope).auth.issuer-url", issuerURL)
        let upstreams: [(Component, String?)] = [
            (.user, userURL), (.product, productURL), (.order, orderURL), (.payment, paymentURL),
            (.notification, notificationURL), (.idp, idpURL),
        ]
        for (upstream, url) in upstreams { layers.set("gateway.upstream.\(upstream.configScope).url", url) }
        layers.set("order.product.url", productURL)
        layers.set("order.shipping.url", shippingURL)
        layers.set("payment.order.url", orderURL)
        layers.set("payment.payment-gateway.url", paymentGatewayURL)
        layers.set("gateway.upstream.timeout-ms", upstreamTimeoutMs)
        let root = layers.reader()
        let logger = logging.bootstrap(default: .info, environment: root.string(forKey: "emporium.log-level"))
        MetricsExport.bootstrap()  // before anything records a metric
        let config = root.scoped(to: ConfigKey(scope))

        let broker = try await connectBroker(url: config.string(forKey: "broker.url"), logger: logger)
        let application: ComponentApplication
        switch component {
        case .gateway:
            let gateway = buildGateway(settings: try GatewaySettings(config: config), directory: UpstreamDirectory(), logger: logger)
            return try await runUntilSignalled(ProcessServices(components: [], gateway: gateway).inStartOrder, logger: logger)
        case .user:
            guard let secret = config.string(forKey: "idp.client-secret") else {
                throw InvalidConfiguration(key: "user.idp.client-secret", reason: "the User Service's secret at the identity provider is required")
            }
            application = try await buildUserService(
                settings: ServiceSettings(config: config, component: component),
                credentials: ClientCredentials(clientID: userServiceClientID, secret: secret),
                broker: broker?.broker,
                logger: logger
            )
        case .product:
            application = try await buildProductService(settings: ServiceSettings(config: config, component: component), broker: broker?.broker, logger: logger)
        case .order:
            application = try await buildOrderService(settings: OrderSettings(config: config), broker: broker?.broker, logger: logger)
        case .payment:
            application = try await buildPaymentService(settings: PaymentSettings(config: config), broker: broker?.broker, logger: logger)
        case .notification:
            application = try await buildNotificationService(settings: NotificationSettings(config: config), broker: broker?.broker, logger: logger)
        case .idp:
            application = try await buildIdentityProviderSimulator(settings: try IdentityProviderSettings(config: config), logger: logger)
        case .paymentGateway:
            application = try await buildPaymentGatewaySimulator(settings: try PaymentGatewaySettings(config: config), logger: logger)
        case .email:
            application = buildEmailServiceSimulator(settings: try simulatorSettings(config), logger: logger)
        case .shipping:
            application = try await buildShippingAPISimulator(settings: try ShippingAPISettings(config: config), logger: logger)
        }
        try await runUntilSignalled(ProcessServices(broker: broker?.service, components: [application]).inStartOrder, logger: logger)
    }

    /// Connects to the broker at `url`, if one is configured.
    private func connectBroker(url: String?, logger: Logger) async throws -> (broker: any MessageBroker, service: any Service)? {
        guard let url else { return nil }
        #if NATS
        let broker = try await NATSBroker.connect(settings: NATSBrokerSettings(url: url), logger: logger)
        return (broker, broker)
        #else
        throw ValidationError("This build has no NATS support; build it with 'swift build --traits NATS' to use --broker-url.")
        #endif
    }

    private func simulatorSettings(_ config: ConfigReader) throws -> HTTPServerSettings {
        try HTTPServerSettings(config: config, scope: component.configScope, defaultPort: component.defaultPort)
    }
}
