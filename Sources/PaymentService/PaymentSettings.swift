public import Configuration
import Contracts
public import EmporiumCore

/// The Payment Service's settings.
///
/// Configuration keys, under the `payment` scope (`payment.payment-gateway.secret-key` ↔ `PAYMENT_PAYMENT_GATEWAY_SECRET_KEY`):
/// - everything of ``ServiceSettings``;
/// - `order.url` (string, default `http://127.0.0.1:8083`): the Order Service, read with a service token;
/// - `payment-gateway.url` (string, default `http://127.0.0.1:8091`): the payment gateway;
/// - `payment-gateway.secret-key` (string, required): the shop's secret key there;
/// - `idp.client-secret` (string, required): the service's secret at the identity provider (client `payment-service`);
/// - `stalled-charge-seconds` (int, default 30): a charge without an answer for this long is asked again.
public struct PaymentSettings: Sendable {
    /// Where it listens, its database and how tokens are checked.
    public var service: ServiceSettings
    /// The Order Service.
    public var order: DependencyLocation
    /// The payment gateway.
    public var paymentGateway: DependencyLocation
    /// The shop's secret key at the payment gateway.
    public var paymentGatewaySecretKey: String
    /// Its client credentials at the identity provider.
    public var credentials: ClientCredentials
    /// How long a charge may stay unanswered before it is asked again.
    public var stalledChargeAfter: Duration

    /// Creates settings from values.
    public init(
        service: ServiceSettings,
        order: DependencyLocation,
        paymentGateway: DependencyLocation,
        paymentGatewaySecretKey: String,
        credentials: ClientCredentials,
        stalledChargeAfter: Duration = .seconds(30)
    ) {
        self.service = service
        self.order = order
        self.paymentGateway = paymentGateway
        self.paymentGatewaySecretKey = paymentGatewaySecretKey
        self.credentials = credentials
        self.stalledChargeAfter = stalledChargeAfter
    }

    /// Reads the settings from configuration scoped to `payment`.
    public init(config: ConfigReader) throws {
        guard let key = config.string(forKey: "payment-gateway.secret-key"), !key.isEmpty else {
            throw InvalidConfiguration(key: "payment.payment-gateway.secret-key", reason: "the shop's secret key at the payment gateway is required")
        }
        guard let secret = config.string(forKey: "idp.client-secret"), !secret.isEmpty else {
            throw InvalidConfiguration(key: "payment.idp.client-secret", reason: "the Payment Service's secret at the identity provider is required")
        }
        self.init(
            service: try ServiceSettings(config: config, component: .payment),
            order: .fixed(
                "order", urls: try config.requiredBaseURLs("order.url", scope: "payment", default: "http://127.0.0.1:\(Component.order.defaultPort)")),
            paymentGateway: .fixed(
                "payment-gateway",
                urls: try config.requiredBaseURLs(
                    "payment-gateway.url", scope: "payment", default: "http://127.0.0.1:\(Component.paymentGateway.defaultPort)")
            ),
            paymentGatewaySecretKey: key,
            credentials: ClientCredentials(clientID: paymentServiceClientID, secret: secret),
            stalledChargeAfter: .seconds(max(1, try config.requiredPositiveOrZeroInt("stalled-charge-seconds", scope: "payment", default: 30)))
        )
    }
}

/// The Payment Service's client id at the identity provider.
public let paymentServiceClientID = "payment-service"
