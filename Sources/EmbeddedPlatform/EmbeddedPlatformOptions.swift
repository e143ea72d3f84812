public import EmporiumCore
public import Gateway

import Foundation

/// How to run the whole platform in one process.
public struct EmbeddedPlatformOptions: Sendable {
    /// The address the gateway binds; the other components always bind 127.0.0.1.
    public var host: String
    /// The gateway's port; 0 picks a free one.
    public var gatewayPort: Int
    /// The directory holding one SQLite file per service.
    public var dataDirectory: String
    /// Whether to seed the demo catalog and the demo accounts.
    public var seedDemoData: Bool
    /// The password of the demo accounts.
    public var demoPassword: String
    /// The gateway's rate limits.
    public var rateLimits: RateLimitSettings
    /// The bcrypt cost of new passwords (tests lower it: a debug build hashes slowly).
    public var bcryptCost: UInt8
    /// The largest request body any component accepts.
    public var maxRequestBodyBytes: Int
    /// How long the gateway waits for a component's response head.
    public var upstreamTimeout: Duration
    /// How long an order may stay unpaid before it expires.
    public var paymentWindow: Duration
    /// Latency and errors the payment-gateway simulator adds (fault drills).
    public var paymentGatewayFaults: InjectedFaults
    /// Latency and errors the shipping-API simulator adds (fault drills).
    public var shippingFaults: InjectedFaults

    /// Where notifications are written as `.eml` files: `mail/` in the data directory.
    public var mailDirectory: String { URL(fileURLWithPath: dataDirectory).appendingPathComponent("mail").path }

    /// Creates options; the defaults are those of `emporium run`.
    public init(
        host: String = "127.0.0.1",
        gatewayPort: Int = 8080,
        dataDirectory: String = ".emporium",
        seedDemoData: Bool = true,
        demoPassword: String = DemoAccount.defaultPassword,
        rateLimits: RateLimitSettings = RateLimitSettings(),
        bcryptCost: UInt8 = 12,
        maxRequestBodyBytes: Int = 1_048_576,
        upstreamTimeout: Duration = .seconds(10),
        paymentWindow: Duration = .seconds(1800),
        paymentGatewayFaults: InjectedFaults = .none,
        shippingFaults: InjectedFaults = .none
    ) {
        self.host = host
        self.gatewayPort = gatewayPort
        self.dataDirectory = dataDirectory
        self.seedDemoData = seedDemoData
        self.demoPassword = demoPassword
        self.rateLimits = rateLimits
        self.bcryptCost = bcryptCost
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.upstreamTimeout = upstreamTimeout
        self.paymentWindow = paymentWindow
        self.paymentGatewayFaults = paymentGatewayFaults
        self.shippingFaults = shippingFaults
    }
}
