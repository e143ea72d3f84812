import ArgumentParser
import Configuration
import EmbeddedPlatform
import EmporiumCore
import Gateway
import Logging
import ServiceLifecycle
import UnixSignals

import Foundation

/// `emporium run`: the whole platform in one process, on SQLite, with the simulators.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the whole platform in one process (the default command)."
    )

    @Option(help: "The address the gateway binds. (env: GATEWAY_HTTP_HOST; default 127.0.0.1)")
    var host: String?

    @Option(help: "The gateway's port; 0 picks a free one. (env: GATEWAY_HTTP_PORT; default 8080)")
    var port: Int?

    @Option(help: "The directory holding one SQLite file per service. (env: EMPORIUM_DATA_DIR; default ./.emporium)")
    var dataDir: String?

    @Flag(help: "Do not seed the demo catalog and accounts. (env: EMPORIUM_DEMO_ENABLED=false)")
    var noDemo = false

    @Option(help: "The password of the demo accounts. (env: EMPORIUM_DEMO_PASSWORD; default emporium-demo)")
    var demoPassword: String?

    @Option(help: "Requests per second each client may send through the gateway; 0 turns the limit off. (env: GATEWAY_RATE_LIMIT_REQUESTS_PER_SECOND; default 50)")
    var rateLimit: Double?

    @Option(help: "The largest request body any component accepts, in bytes. (env: EMPORIUM_MAX_BODY_BYTES; default 1048576)")
    var maxBodyBytes: Int?

    @Option(help: "How long the gateway waits for a component to answer, in ms. (env: GATEWAY_UPSTREAM_TIMEOUT_MS; default 10000)")
    var upstreamTimeoutMs: Int?

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let startedAt = ContinuousClock.now
        var layers = ConfigurationLayers()
        layers.set("gateway.http.host", host)
        layers.set("gateway.http.port", port)
        layers.set("emporium.data-dir", dataDir)
        layers.set("emporium.demo.enabled", noDemo ? false : nil)
        layers.set("emporium.demo.password", demoPassword)
        layers.set("gateway.rate-limit.requests-per-second", rateLimit)
        layers.set("emporium.max-body-bytes", maxBodyBytes)
        layers.set("gateway.upstream.timeout-ms", upstreamTimeoutMs)
        let config = layers.reader()
        let logger = logging.bootstrap(default: .notice, environment: config.string(forKey: "emporium.log-level"))
        MetricsExport.bootstrap()  // before anything records a metric

        let options = EmbeddedPlatformOptions(
            host: config.string(forKey: "gateway.http.host", default: "127.0.0.1"),
            gatewayPort: try config.requiredPositiveOrZeroInt("gateway.http.port", default: Component.gateway.defaultPort),
            dataDirectory: config.string(forKey: "emporium.data-dir", default: ".emporium"),
            seedDemoData: config.bool(forKey: "emporium.demo.enabled", default: true),
            demoPassword: config.string(forKey: "emporium.demo.password", default: DemoAccount.defaultPassword),
            rateLimits: RateLimitSettings(
                requestsPerSecond: config.double(forKey: "gateway.rate-limit.requests-per-second", default: 50),
                burst: try config.requiredPositiveOrZeroInt("gateway.rate-limit.burst", default: 100),
                tokenRequestsPerMinute: config.double(forKey: "gateway.rate-limit.token-requests-per-minute", default: 20),
                tokenBurst: try config.requiredPositiveOrZeroInt("gateway.rate-limit.token-burst", default: 10)
            ),
            maxRequestBodyBytes: try config.requiredPositiveOrZeroInt("emporium.max-body-bytes", default: HTTPServerSettings.defaultMaxRequestBodyBytes),
            upstreamTimeout: .milliseconds(max(1, try config.requiredPositiveOrZeroInt("gateway.upstream.timeout-ms", default: 10_000))),
            // The simulators' faults, as in the distributed mode (PAYMENT_GATEWAY_ERROR_RATE, SHIPPING_LATENCY_MS…).
            paymentGatewayFaults: try InjectedFaults(config: config.scoped(to: "payment-gateway"), scope: "payment-gateway"),
            shippingFaults: try InjectedFaults(config: config.scoped(to: "shipping"), scope: "shipping")
        )
        let platform = try await EmbeddedPlatform.build(options: options, logger: logger) { report in
            // Written straight to the file handle: print() is block-buffered when stdout is a pipe,
            // and whoever started us is waiting for this line.
            FileHandle.standardOutput.write(Data((Self.banner(report, options: options, elapsed: ContinuousClock.now - startedAt) + "\n").utf8))
        }
        try await runUntilSignalled(platform.services, logger: logger)
    }

    static func banner(_ report: ReadyReport, options: EmbeddedPlatformOptions, elapsed: Duration) -> String {
        let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        let components = Component.allCases.map { "\($0.rawValue) :\(report.ports[$0] ?? 0)" }.joined(separator: ", ")
        return """
            Emporium is ready at \(report.gatewayURL) (ready in \(milliseconds) ms)
              components: \(components)
              data:       \(options.dataDirectory) (one SQLite file per service)\(options.seedDemoData ? ", demo catalog seeded" : "")
              mail:       \(options.mailDirectory) (each notification as an .eml file)
            \(options.seedDemoData ? demoAccounts(options) : "")Try:
              curl -s \(report.gatewayURL)/api/v1/products
              curl -s \(report.gatewayURL)/health/ready
            Press Ctrl-C to stop.
            """
    }
}

/// The demo accounts' lines of the banner, and how to log in with one.
private func demoAccounts(_ options: EmbeddedPlatformOptions) -> String {
    let accounts = DemoAccount.all.map { "\($0.email) (\($0.roles.map(\.rawValue).joined(separator: ", ")))" }.joined(separator: ", ")
    return """
        demo:       \(accounts), password \(options.demoPassword)

        """
}

/// Runs `services` in one group until SIGINT or SIGTERM, then shuts them down gracefully:
/// in-flight requests finish, and the command exits 0.
func runUntilSignalled(_ services: [any Service], logger: Logger) async throws {
    var configuration = ServiceGroupConfiguration(
        services: services.map { .init(service: $0) },
        gracefulShutdownSignals: [.sigterm, .sigint],
        logger: logger
    )
    configuration.maximumGracefulShutdownDuration = .seconds(10)
    try await ServiceGroup(configuration: configuration).run()
}
