public import Configuration
import Contracts
public import EmporiumCore

/// The Order Service's settings.
///
/// Configuration keys, under the `order` scope (`order.shipping.api-key` ↔ `ORDER_SHIPPING_API_KEY`):
/// - everything of ``ServiceSettings``;
/// - `product.url` (string, default `http://127.0.0.1:8082`): the Product Service, for prices and stock;
/// - `shipping.url` (string, default `http://127.0.0.1:8093`): the shipping API, for rates and shipments;
/// - `shipping.api-key` (string, required): this shop's key at the shipping API;
/// - `payment-window-seconds` (int, default 1800): how long an order may stay unpaid before it expires.
public struct OrderSettings: Sendable {
    /// Where it listens, its database and how tokens are checked.
    public var service: ServiceSettings
    /// The Product Service.
    public var product: DependencyLocation
    /// The shipping API.
    public var shipping: DependencyLocation
    /// This shop's key at the shipping API.
    public var shippingAPIKey: String
    /// How long an order may stay unpaid.
    public var paymentWindow: Duration
    /// How often expired orders are looked for.
    public var expiryInterval: Duration

    /// Creates settings from values.
    public init(
        service: ServiceSettings,
        product: DependencyLocation,
        shipping: DependencyLocation,
        shippingAPIKey: String,
        paymentWindow: Duration = .seconds(1800),
        expiryInterval: Duration = .seconds(5)
    ) {
        self.service = service
        self.product = product
        self.shipping = shipping
        self.shippingAPIKey = shippingAPIKey
        self.paymentWindow = paymentWindow
        self.expiryInterval = expiryInterval
    }

    /// Reads the settings from configuration scoped to `order`.
    public init(config: ConfigReader) throws {
        guard let key = config.string(forKey: "shipping.api-key"), !key.isEmpty else {
            throw InvalidConfiguration(key: "order.shipping.api-key", reason: "the shop's key at the shipping API is required")
        }
        let window = try config.requiredPositiveOrZeroInt("payment-window-seconds", scope: "order", default: 1800)
        self.init(
            service: try ServiceSettings(config: config, component: .order),
            product: .fixed(
                "product",
                urls: try config.requiredBaseURLs("product.url", scope: "order", default: "http://127.0.0.1:\(Component.product.defaultPort)")),
            shipping: .fixed(
                "shipping",
                urls: try config.requiredBaseURLs("shipping.url", scope: "order", default: "http://127.0.0.1:\(Component.shipping.defaultPort)")),
            shippingAPIKey: key,
            paymentWindow: .seconds(max(1, window)),
            // A short window (a test's, a demo's) is watched as closely as it is long.
            expiryInterval: min(.seconds(5), .seconds(max(1, window)))
        )
    }
}
