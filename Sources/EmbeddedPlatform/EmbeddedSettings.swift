public import Configuration
public import Console
import Contracts
import EmailService
public import EmailSimulator
public import EmporiumCore
public import Gateway
public import IdentityProvider
public import NotificationService
public import OrderService
public import PaymentGateway
public import PaymentService
public import ShippingAPI
public import Storefront
public import UserService

/// Every component's settings in the embedded mode, read with the same `…Settings(config:)` as
/// `emporium serve` reads them, then wired to each other: the identity provider's issuer, each
/// service's dependencies and the gateway's upstreams are the platform's own components, found
/// through the ``UpstreamDirectory`` as each one binds its port.
public struct EmbeddedSettings: Sendable {
    /// The gateway's.
    public var gateway: GatewaySettings
    /// The User Service's.
    public var user: UserSettings
    /// The Product Service's.
    public var product: ServiceSettings
    /// The Order Service's.
    public var order: OrderSettings
    /// The Payment Service's.
    public var payment: PaymentSettings
    /// The Notification Service's.
    public var notification: NotificationSettings
    /// The storefront's.
    public var storefront: StorefrontSettings
    /// The console's.
    public var console: ConsoleSettings
    /// The identity provider's.
    public var idp: IdentityProviderSettings
    /// The payment-gateway simulator's.
    public var paymentGateway: PaymentGatewaySettings
    /// The email simulator's.
    public var email: EmailSimulatorSettings
    /// The shipping-API simulator's.
    public var shipping: ShippingAPISettings

    /// Reads every component's settings from `config` (flags, environment, then the embedded
    /// defaults) and wires the components to each other through `directory`.
    /// - Parameter gatewayURL: The gateway's base URL once it listens, which the storefront calls
    ///   and browsers reach the shop at.
    public init(config: ConfigReader, directory: UpstreamDirectory, gatewayURL: @escaping @Sendable () -> String?) throws {
        func scoped(_ component: Component) -> ConfigReader { config.scoped(to: ConfigKey(component.configScope)) }
        func location(_ component: Component) -> DependencyLocation {
            .deferred(component.rawValue) { directory.baseURL(of: component) }
        }
        let issuer = IssuerLocation.deferred { directory.baseURL(of: .idp) }

        gateway = try GatewaySettings(config: scoped(.gateway))
        // The directory is filled as components bind, not from the configured URLs.
        gateway.upstreamURLs = [:]
        gateway.readinessTargets = Component.allCases.filter { $0 != .gateway }
        gateway.auth.issuer = issuer

        user = try UserSettings(config: scoped(.user))
        user.service.auth.issuer = issuer
        product = try ServiceSettings(config: scoped(.product), component: .product)
        product.auth.issuer = issuer
        order = try OrderSettings(config: scoped(.order))
        order.service.auth.issuer = issuer
        order.product = location(.product)
        order.shipping = location(.shipping)
        payment = try PaymentSettings(config: scoped(.payment))
        payment.service.auth.issuer = issuer
        payment.order = location(.order)
        payment.paymentGateway = location(.paymentGateway)
        notification = try NotificationSettings(config: scoped(.notification))
        notification.service.auth.issuer = issuer
        storefront = try StorefrontSettings(config: scoped(.storefront))
        storefront.gateway = .deferred(Component.gateway.rawValue, gatewayURL)
        storefront.publicURL = gatewayURL
        storefront.auth.issuer = issuer
        console = try ConsoleSettings(config: scoped(.console))
        console.auth.issuer = issuer
        console.publicURL = gatewayURL
        // Every component shares this process's metrics; each one's health is at the port it bound.
        console.targets = ConsoleTargets(metrics: .thisProcess) {
            var instances: [String: [String]] = [:]
            for component in ConsoleTargets.watched {
                let url = component == .gateway ? gatewayURL() : directory.baseURL(of: component)
                if let url { instances[component.rawValue] = [url] }
            }
            return instances
        }

        idp = try IdentityProviderSettings(config: scoped(.idp))
        idp.issuer = issuer
        // Browsers reach the provider's pages, and come back to the shop, through the gateway.
        idp.publicURL = .deferred { gatewayURL().map { $0 + "/auth" } }
        for index in idp.clients.indices where idp.clients[index].id == StorefrontSettings.clientID {
            idp.clients[index].redirectURIs = { gatewayURL().map { [$0 + "/session/callback", $0 + "/"] } ?? [] }
        }
        for index in idp.clients.indices where idp.clients[index].id == ConsoleSettings.clientID {
            idp.clients[index].redirectURIs = { gatewayURL().map { [$0 + "/console/session/callback", $0 + "/"] } ?? [] }
        }
        paymentGateway = try PaymentGatewaySettings(config: scoped(.paymentGateway))
        email = try EmailSimulatorSettings(config: scoped(.email))
        shipping = try ShippingAPISettings(config: scoped(.shipping))
        // `127.0.0.1:0` is the embedded defaults' way of naming the email simulator, whose port
        // is known only once it listens (a port chosen beforehand could be taken meanwhile).
        if let smtp = notification.transport as? SMTPTransport, smtp.settings.host == "127.0.0.1", smtp.settings.port == 0 {
            let port = emailSMTPPort
            notification.transport = SMTPTransport(settings: smtp.settings, currentPort: { port.value })
            mailGoesToTheSimulator = true
        }
    }

    /// The email simulator's SMTP port once it listens, which the Notification Service sends to.
    public let emailSMTPPort = ListeningPort()
    /// Whether the Notification Service sends to the email simulator (unless NOTIFICATION_MAIL_* chose otherwise).
    public private(set) var mailGoesToTheSimulator = false

    /// Where the mail ends up: the email simulator's directory when the Notification Service sends
    /// to it (the default), else the transport's own destination.
    public var mailDestination: String {
        if mailGoesToTheSimulator { return email.mailDirectory }
        return (notification.transport as? FileTransport)?.directory ?? notification.transport.destination
    }

    /// Every component exports its spans to the console, unless the `OTEL_*` variables chose
    /// otherwise (``TracingSettings/exportingByDefault(to:headers:)``) or the console has no port yet.
    mutating func exportSpansToConsole() {
        guard console.server.port != 0 else { return }
        let headers = console.tracesIngestKey.map { ["Authorization": "Bearer " + $0] } ?? [:]
        func route(_ server: inout HTTPServerSettings) {
            server.tracing = server.tracing.exportingByDefault(to: console.tracesEndpoint, headers: headers)
        }
        route(&gateway.server)
        route(&user.service.server)
        route(&product.server)
        route(&order.service.server)
        route(&payment.service.server)
        route(&notification.service.server)
        route(&storefront.server)
        route(&idp.server)
        route(&paymentGateway.server)
        route(&email.server)
        route(&shipping.server)
    }
}
