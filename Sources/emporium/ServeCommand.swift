import ArgumentParser
import Configuration
import Console
import Contracts
import EmailService
import EmailSimulator
import EmporiumCore
import Gateway
import IdentityProvider
import Logging
import NotificationService
import OrderService
import PaymentGateway
import PaymentService
import ProductService
import ServiceLifecycle
import ShippingAPI
import Storefront
import UserService

#if NATS
    import NATSBroker
#endif

/// `emporium serve <component>`: one component in this process, for the distributed mode; a
/// subcommand per component, each with that component's options only.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run exactly one component (distributed mode).",
        discussion: """
            Every component reads its settings from its flags, then the environment; every key is listed \
            in docs/configuration.md. Environment variables are scoped by component: <C> in an option's \
            help is the component's name upper-cased, '-' as '_' (ORDER, PAYMENT_GATEWAY…).
            """,
        subcommands: [
            ServeGateway.self, ServeUser.self, ServeProduct.self, ServeOrder.self, ServePayment.self, ServeNotification.self,
            ServeStorefront.self, ServeConsole.self, ServeIdentityProvider.self, ServePaymentGateway.self, ServeEmail.self, ServeShipping.self,
        ]
    )
}

/// Runs `component` alone: reads its configuration (flags, then the environment), connects to
/// the broker where it has one, builds it with `build`, and runs until SIGINT or SIGTERM.
/// - Parameters:
///   - component: The component.
///   - flags: The options given on the command line, as configuration keys.
///   - logging: The log level option.
///   - build: Builds the component from its scoped configuration, with the broker if any.
func serve(
    _ component: Component,
    flags: ConfigurationLayer,
    logging: LoggingOptions,
    build: (ConfigReader, (any MessageBroker)?, Logger) async throws -> ComponentApplication
) async throws {
    let root = ConfigReader(providers: [flags.provider(name: "flags"), EnvironmentVariablesProvider()])
    let logger = logging.bootstrap(default: .info, environment: root.string(forKey: ConfigKey(ConfigurationKeys.logLevel)))
    MetricsExport.bootstrap()  // before anything records a metric
    _ = try TracingSettings.process.get()  // an OTEL_* value that cannot be honoured stops start-up, named
    let config = root.scoped(to: ConfigKey(component.configScope))
    let brokerURL = Component.services.contains(component) ? try ServiceSettings(config: config, component: component).brokerURL : nil
    let broker = try await connectBroker(url: brokerURL, logger: logger)
    let application = try await build(config, broker?.broker, logger)
    let services =
        component == .gateway
        ? ProcessServices(components: [], gateway: application)
        : ProcessServices(broker: broker?.service, components: [application])
    try await runUntilSignalled(services.inStartOrder, logger: logger)
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

struct ServeGateway: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "gateway", abstract: "The API gateway (<C> = GATEWAY).")
    @OptionGroup var server: ServerOptions
    @OptionGroup var issuer: IssuerOption
    @Option(
        help: "The User Service's base URL, or its instances' separated by commas. (env: GATEWAY_UPSTREAM_USER_URL; default http://127.0.0.1:8081)")
    var userURL: String?
    @Option(help: "The Product Service's. (env: GATEWAY_UPSTREAM_PRODUCT_URL; default http://127.0.0.1:8082)")
    var productURL: String?
    @Option(help: "The Order Service's. (env: GATEWAY_UPSTREAM_ORDER_URL; default http://127.0.0.1:8083)")
    var orderURL: String?
    @Option(help: "The Payment Service's. (env: GATEWAY_UPSTREAM_PAYMENT_URL; default http://127.0.0.1:8084)")
    var paymentURL: String?
    @Option(help: "The Notification Service's. (env: GATEWAY_UPSTREAM_NOTIFICATION_URL; default http://127.0.0.1:8085)")
    var notificationURL: String?
    @Option(help: "The storefront's. (env: GATEWAY_UPSTREAM_STOREFRONT_URL; default http://127.0.0.1:8086)")
    var storefrontURL: String?
    @Option(help: "The console's. (env: GATEWAY_UPSTREAM_CONSOLE_URL; default http://127.0.0.1:8087)")
    var consoleURL: String?
    @Option(help: "The identity provider's. (env: GATEWAY_UPSTREAM_IDP_URL; default http://127.0.0.1:8090)")
    var idpURL: String?
    @Option(help: "How long an upstream may take to answer, in ms. (env: GATEWAY_UPSTREAM_TIMEOUT_MS; default 10000)")
    var upstreamTimeoutMs: Int?
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        var flags = ConfigurationLayer()
        server.apply(to: &flags, .gateway)
        issuer.apply(to: &flags, .gateway)
        let upstreams: [(Component, String?)] = [
            (.user, userURL), (.product, productURL), (.order, orderURL), (.payment, paymentURL), (.notification, notificationURL),
            (.storefront, storefrontURL), (.console, consoleURL), (.idp, idpURL),
        ]
        for (upstream, url) in upstreams { flags.set("gateway.upstream.\(upstream.configScope).url", url) }
        flags.set("gateway.upstream.timeout-ms", upstreamTimeoutMs)
        try await serve(.gateway, flags: flags, logging: logging) { config, _, logger in
            try buildGateway(settings: try GatewaySettings(config: config), directory: UpstreamDirectory(), logger: logger)
        }
    }
}

struct ServeUser: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "The User Service (<C> = USER).",
        discussion: "Its secret at the identity provider comes from the environment only: USER_IDP_CLIENT_SECRET."
    )
    @OptionGroup var process: ServiceProcessOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        var flags = ConfigurationLayer()
        process.apply(to: &flags, .user)
        try await serve(.user, flags: flags, logging: logging) { config, broker, logger in
            try await buildUserService(settings: UserSettings(config: config), broker: broker, logger: logger)
        }
    }
}

struct ServeProduct: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "product", abstract: "The Product Service (<C> = PRODUCT).")
    @OptionGroup var process: ServiceProcessOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        var flags = ConfigurationLayer()
        process.apply(to: &flags, .product)
        try await serve(.product, flags: flags, logging: logging) { config, broker, logger in
            try await buildProductService(settings: ServiceSettings(config: config, component: .product), broker: broker, logger: logger)
        }
    }
}

struct ServeOrder: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "order",
        abstract: "The Order Service (<C> = ORDER).",
        discussion: "Its key at the shipping API comes from the environment only: ORDER_SHIPPING_API_KEY."
    )
    @OptionGroup var process: ServiceProcessOptions
    @Option(help: "The Product Service's base URL, or its instances' separated by commas. (env: ORDER_PRODUCT_URL; default http://127.0.0.1:8082)")
    var productURL: String?
    @Option(help: "The shipping API's base URL. (env: ORDER_SHIPPING_URL; default http://127.0.0.1:8093)")
    var shippingURL: String?
    @Option(help: "How long an order may stay unpaid before it expires, in seconds. (env: ORDER_PAYMENT_WINDOW_SECONDS; default 1800)")
    var paymentWindowSeconds: Int?
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        var flags = ConfigurationLayer()
        process.apply(to: &flags, .order)
        flags.set("order.product.url", productURL)
        flags.set("order.shipping.url", shippingURL)
        flags.set("order.payment-window-seconds", paymentWindowSeconds)
        try await serve(.order, flags: flags, logging: logging) { config, broker, logger in
            try await buildOrderService(settings: OrderSettings(config: config), broker: broker, logger: logger)
        }
    }
}

struct ServePayment: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payment",
        abstract: "The Payment Service (<C> = PAYMENT).",
        discussion: "Its secrets come from the environment only: PAYMENT_IDP_CLIENT_SECRET and PAYMENT_PAYMENT_GATEWAY_SECRET_KEY."
    )
    @OptionGroup var process: ServiceProcessOptions
    @Option(help: "The Order Service's base URL, or its instances' separated by commas. (env: PAYMENT_ORDER_URL; default http://127.0.0.1:8083)")
    var orderURL: String?
    @Option(help: "The payment gateway's base URL. (env: PAYMENT_PAYMENT_GATEWAY_URL; default http://127.0.0.1:8091)")
    var paymentGatewayURL: String?
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        var flags = ConfigurationLayer()
        process.apply(to: &flags, .payment)
        flags.set("payment.order.url", orderURL)
        flags.set("payment.payment-gateway.url", paymentGatewayURL)
        try await serve(.payment, flags: flags, logging: logging) { config, broker, logger in
            try await buildPaymentService(settings: PaymentSettings(config: config), broker: broker, logger: logger)
        }
    }
}

struct ServeNotification: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notification",
        abstract: "The Notification Service (<C> = NOTIFICATION).",
        discussion: "Where mail goes: NOTIFICATION_MAIL_SMTP_HOST (and the other mail.smtp.* keys), or NOTIFICATION_MAIL_DIRECTORY for .eml files."
    )
    @OptionGroup var process: ServiceProcessOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        var flags = ConfigurationLayer()
        process.apply(to: &flags, .notification)
        try await serve(.notification, flags: flags, logging: logging) { config, broker, logger in
            try await buildNotificationService(settings: NotificationSettings(config: config), broker: broker, logger: logger)
        }
    }
}

struct ServeStorefront: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storefront",
        abstract: "The storefront: the shop's web pages (<C> = STOREFRONT).",
        discussion: """
            Its secrets come from the environment only: STOREFRONT_SESSION_SECRET (signs its forms, the same for every instance) \
            and STOREFRONT_IDP_CLIENT_SECRET (its secret as the provider's client 'storefront').
            """
    )
    @OptionGroup var server: ServerOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var issuer: IssuerOption
    @Option(help: "The gateway's base URL, or several separated by commas. (env: STOREFRONT_GATEWAY_URL; default http://127.0.0.1:8080)")
    var gatewayURL: String?
    @Option(
        help:
            "The address browsers reach the shop at; https:// makes the session cookie Secure. (env: STOREFRONT_PUBLIC_URL; default the gateway URL)")
    var publicURL: String?
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        var flags = ConfigurationLayer()
        server.apply(to: &flags, .storefront)
        database.apply(to: &flags, .storefront)
        issuer.apply(to: &flags, .storefront)
        flags.set("storefront.gateway-url", gatewayURL)
        flags.set("storefront.public-url", publicURL)
        try await serve(.storefront, flags: flags, logging: logging) { config, _, logger in
            try await buildStorefront(settings: StorefrontSettings(config: config), logger: logger)
        }
    }
}

struct ServeConsole: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "The console: the platform's diagram drawn live from its traffic, for admins (<C> = CONSOLE).",
        discussion: """
            It reads every instance's /health/ready and /metrics each second. Its secrets come from the environment only: \
            CONSOLE_SESSION_SECRET (seals its session cookie, the same for every instance) and CONSOLE_IDP_CLIENT_SECRET \
            (its secret as the provider's client 'console').
            """
    )
    @OptionGroup var server: ServerOptions
    @OptionGroup var issuer: IssuerOption
    @Option(help: "The gateway's instances' base URLs, separated by commas. (env: CONSOLE_GATEWAY_URL; default http://127.0.0.1:8080)")
    var gatewayURL: String?
    @Option(help: "The User Service's instances'. (env: CONSOLE_USER_URL; default http://127.0.0.1:8081)")
    var userURL: String?
    @Option(help: "The Product Service's instances'. (env: CONSOLE_PRODUCT_URL; default http://127.0.0.1:8082)")
    var productURL: String?
    @Option(help: "The Order Service's instances'. (env: CONSOLE_ORDER_URL; default http://127.0.0.1:8083)")
    var orderURL: String?
    @Option(help: "The Payment Service's instances'. (env: CONSOLE_PAYMENT_URL; default http://127.0.0.1:8084)")
    var paymentURL: String?
    @Option(help: "The Notification Service's instances'. (env: CONSOLE_NOTIFICATION_URL; default http://127.0.0.1:8085)")
    var notificationURL: String?
    @Option(help: "The storefront's instances'. (env: CONSOLE_STOREFRONT_URL; default http://127.0.0.1:8086)")
    var storefrontURL: String?
    @Option(help: "Its own instances'. (env: CONSOLE_CONSOLE_URL; default http://127.0.0.1:8087)")
    var consoleURL: String?
    @Option(help: "The identity provider's. (env: CONSOLE_IDP_URL; default http://127.0.0.1:8090)")
    var idpURL: String?
    @Option(help: "The payment gateway's. (env: CONSOLE_PAYMENT_GATEWAY_URL; default http://127.0.0.1:8091)")
    var paymentGatewayURL: String?
    @Option(help: "The email service's (its HTTP port). (env: CONSOLE_EMAIL_URL; default http://127.0.0.1:8092)")
    var emailURL: String?
    @Option(help: "The shipping API's. (env: CONSOLE_SHIPPING_URL; default http://127.0.0.1:8093)")
    var shippingURL: String?
    @Option(help: "The gateway's address in browsers, where sign-ins come back. (env: CONSOLE_PUBLIC_URL; default http://127.0.0.1:8080)")
    var publicURL: String?
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        var flags = ConfigurationLayer()
        server.apply(to: &flags, .console)
        issuer.apply(to: &flags, .console)
        let watched: [(Component, String?)] = [
            (.gateway, gatewayURL), (.user, userURL), (.product, productURL), (.order, orderURL), (.payment, paymentURL),
            (.notification, notificationURL), (.storefront, storefrontURL), (.console, consoleURL), (.idp, idpURL),
            (.paymentGateway, paymentGatewayURL),
            (.email, emailURL), (.shipping, shippingURL),
        ]
        for (component, url) in watched { flags.set("console.\(component.configScope).url", url) }
        flags.set("console.public-url", publicURL)
        try await serve(.console, flags: flags, logging: logging) { config, _, logger in
            try await buildConsole(settings: ConsoleSettings(config: config), logger: logger)
        }
    }
}

struct ServeIdentityProvider: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "idp",
        abstract: "The identity-provider simulator (<C> = IDP).",
        discussion: "Its clients' secrets come from the environment only: IDP_CLIENT_<ID>_SECRET (USER_SERVICE, PAYMENT_SERVICE, OPERATOR)."
    )
    @OptionGroup var server: ServerOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var issuer: IssuerOption
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        var flags = ConfigurationLayer()
        server.apply(to: &flags, .idp)
        database.apply(to: &flags, .idp)
        issuer.apply(to: &flags, .idp)
        try await serve(.idp, flags: flags, logging: logging) { config, _, logger in
            try await buildIdentityProviderSimulator(settings: IdentityProviderSettings(config: config), logger: logger)
        }
    }
}

struct ServePaymentGateway: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "payment-gateway",
        abstract: "The payment-gateway simulator (<C> = PAYMENT_GATEWAY).",
        discussion: "Its secret key comes from the environment only: PAYMENT_GATEWAY_SECRET_KEY."
    )
    @OptionGroup var server: ServerOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        var flags = ConfigurationLayer()
        server.apply(to: &flags, .paymentGateway)
        database.apply(to: &flags, .paymentGateway)
        try await serve(.paymentGateway, flags: flags, logging: logging) { config, _, logger in
            try await buildPaymentGatewaySimulator(settings: PaymentGatewaySettings(config: config), logger: logger)
        }
    }
}

struct ServeEmail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "email", abstract: "The email-service simulator (<C> = EMAIL).")
    @OptionGroup var server: ServerOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        var flags = ConfigurationLayer()
        server.apply(to: &flags, .email)
        try await serve(.email, flags: flags, logging: logging) { config, _, logger in
            try buildEmailServiceSimulator(settings: try EmailSimulatorSettings(config: config), logger: logger)
        }
    }
}

struct ServeShipping: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shipping",
        abstract: "The shipping-API simulator (<C> = SHIPPING).",
        discussion: "Its API key comes from the environment only: SHIPPING_API_KEY."
    )
    @OptionGroup var server: ServerOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        var flags = ConfigurationLayer()
        server.apply(to: &flags, .shipping)
        database.apply(to: &flags, .shipping)
        try await serve(.shipping, flags: flags, logging: logging) { config, _, logger in
            try await buildShippingAPISimulator(settings: ShippingAPISettings(config: config), logger: logger)
        }
    }
}
