import ArgumentParser
import Configuration
import Contracts
import EmbeddedPlatform
import EmporiumCore
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

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

    @Option(
        help:
            "Requests per second each client may send through the gateway; 0 turns the limit off. (env: GATEWAY_RATE_LIMIT_REQUESTS_PER_SECOND; default 50)"
    )
    var rateLimit: Double?

    @Option(help: "The largest request body any component accepts, in bytes. (env: <COMPONENT>_HTTP_MAX_BODY_BYTES, per component; default 1048576)")
    var maxBodyBytes: Int?

    @Option(help: "How long the gateway waits for a component to answer, in ms. (env: GATEWAY_UPSTREAM_TIMEOUT_MS; default 10000)")
    var upstreamTimeoutMs: Int?

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let startedAt = ContinuousClock.now
        var flags = ConfigurationLayer()
        flags.set("gateway.http.host", host)
        flags.set("gateway.http.port", port)
        flags.set("emporium.data-dir", dataDir)
        flags.set("emporium.demo.enabled", noDemo ? false : nil)
        flags.set("emporium.demo.password", demoPassword)
        flags.set("gateway.rate-limit.requests-per-second", rateLimit)
        for component in Component.allCases { flags.set("\(component.configScope).http.max-body-bytes", maxBodyBytes) }
        flags.set("gateway.upstream.timeout-ms", upstreamTimeoutMs)
        // Every key of `emporium serve` works here too (ORDER_PAYMENT_WINDOW_SECONDS,
        // SHIPPING_LATENCY_MS…): below these two layers come the embedded mode's own defaults.
        let configuration: [any ConfigProvider] = [flags.provider(name: "flags"), EnvironmentVariablesProvider()]
        let config = ConfigReader(providers: configuration)
        let logger = logging.bootstrap(default: .notice, environment: config.string(forKey: ConfigKey(ConfigurationKeys.logLevel)))
        MetricsExport.bootstrap()  // before anything records a metric
        _ = try TracingSettings.process.get()  // an OTEL_* value that cannot be honoured stops start-up, named

        let defaults = EmbeddedDefaults(config: config)
        let platform = try await EmbeddedPlatform.build(configuration: configuration, logger: logger) { report in
            // Written straight to the file handle: print() is block-buffered when stdout is a pipe,
            // and whoever started us is waiting for this line.
            FileHandle.standardOutput.write(Data((Self.banner(report, defaults: defaults, elapsed: ContinuousClock.now - startedAt) + "\n").utf8))
        }
        try await runUntilSignalled(platform.services, logger: logger)
    }

    static func banner(_ report: ReadyReport, defaults: EmbeddedDefaults, elapsed: Duration) -> String {
        let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        let components = Component.allCases.map { "\($0.rawValue) :\(report.ports[$0] ?? 0)" }.joined(separator: ", ")
        return """
            Emporium is ready at \(report.gatewayURL) (ready in \(milliseconds) ms)
              components: \(components)
              data:       \(report.dataDirectory) (one SQLite file per service)\(defaults.seedsDemoData ? ", demo catalog seeded" : "")
              mail:       \(report.mailDirectory) (each notification as an .eml file)
            \(defaults.seedsDemoData ? demoAccounts(defaults) : "")Shop:       open \(report.gatewayURL)/ in a browser (sign in with a demo account)
            Try:
              curl -s \(report.gatewayURL)/api/v1/products
              curl -s \(report.gatewayURL)/health/ready
            Press Ctrl-C to stop.
            """
    }
}

/// The demo accounts' lines of the banner, and how to log in with one.
private func demoAccounts(_ defaults: EmbeddedDefaults) -> String {
    let accounts = DemoAccount.all.map { "\($0.email) (\($0.roles.map(\.rawValue).joined(separator: ", ")))" }.joined(separator: ", ")
    return """
        demo:       \(accounts), password \(defaults.demoPassword)

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
