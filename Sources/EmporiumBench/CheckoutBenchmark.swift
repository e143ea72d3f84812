import ArgumentParser
import AsyncHTTPClient
import Contracts
import EmbeddedPlatform
import EmporiumCore
import Foundation
import Gateway
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle

/// `emporium-bench checkout`: customers ordering and paying concurrently through a gateway — the
/// embedded platform's, started in this process, or a running platform's (`--url`, such as a
/// `scripts/cluster`); orders/s and the latency from `POST /orders` to the order shipped.
struct CheckoutBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checkout",
        abstract: "Measure checkouts/s and create-to-shipped latency through a gateway (the embedded platform's unless --url)."
    )

    @Option(help: "Concurrent customers.") var customers = 16
    @Option(help: "Orders each customer places and pays, one after another.") var ordersPerCustomer = 25
    @Option(help: "How often a customer polls its order while waiting for the saga, in ms.") var pollMs = 5
    @Flag(help: "The embedded gateway without its fast path (every request through the router), for a comparison in one run.")
    var routerOnly = false
    @Option(help: "A running platform's gateway (e.g. a scripts/cluster one) instead of an embedded platform of its own.")
    var url: String?
    @Option(help: "With --url: an admin account's email, to stock the benchmark's product.") var adminEmail: String?
    @Option(help: "With --url: that admin's password. (env: EMPORIUM_BENCH_ADMIN_PASSWORD)") var adminPassword: String?

    func validate() throws {
        if url == nil, adminEmail != nil || adminPassword != nil { throw ValidationError("--admin-email and --admin-password go with --url.") }
        if url != nil, routerOnly { throw ValidationError("--router-only is for the embedded platform, without --url.") }
        if url != nil, adminEmail == nil { throw ValidationError("--url needs --admin-email (and its password) to stock a product.") }
    }

    func run() async throws {
        if let url {
            let password = adminPassword ?? ProcessInfo.processInfo.environment["EMPORIUM_BENCH_ADMIN_PASSWORD"]
            guard let adminEmail, let password else {
                throw ValidationError("Give the admin's password with --admin-password or EMPORIUM_BENCH_ADMIN_PASSWORD.")
            }
            try await measure(gateway: url, admin: (adminEmail, password))
            return
        }
        let logger = Logger.benchmark
        MetricsExport.bootstrap()  // as `emporium run` does: the metrics' cost is part of the figure
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("emporium-bench-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (readiness, ready) = AsyncStream.makeStream(of: ReadyReport.self)
        var configuration = ConfigurationLayer()
        configuration.set("emporium.data-dir", directory.path)
        configuration.set("gateway.http.port", 0)
        configuration.set("gateway.rate-limit.requests-per-second", 0.0)
        configuration.set("gateway.rate-limit.token-requests-per-minute", 0.0)
        configuration.set("idp.bcrypt-cost", 4)
        configuration.set("gateway.fast-path", !routerOnly)
        // The figure without tracing unless OTEL_* asks for it (`scripts/bench checkout --tracing`).
        configuration.set("emporium.traces.to-console", false)
        let platform = try await EmbeddedPlatform.build(configuration: [configuration.provider(name: "benchmark")], logger: logger) { report in
            ready.yield(report)
            ready.finish()
        }
        let group = ServiceGroup(services: platform.services, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = readiness.makeAsyncIterator()
            guard let report = await iterator.next() else { throw ValidationError("the platform did not start") }
            try await measure(gateway: report.gatewayURL, admin: (DemoAccount.admin.email, DemoAccount.defaultPassword))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// Stocks a product, registers the customers, lets them check out, and prints the figures.
    func measure(gateway: String, admin: (email: String, password: String)) async throws {
        let shop = try BenchShop(gateway: gateway, poll: .milliseconds(pollMs))
        let product = try await shop.stockedProduct(units: customers * ordersPerCustomer * 2, admin: admin)
        let tokens = try await withThrowingTaskGroup(of: String.self) { group in
            for index in 0..<customers { group.addTask { try await shop.newCustomer(index) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let start = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for token in tokens {
                group.addTask { [ordersPerCustomer] in
                    var own: [Double] = []
                    for _ in 0..<ordersPerCustomer {
                        let began = ContinuousClock.now
                        try await shop.checkout(token, product: product)
                        own.append((ContinuousClock.now - began).milliseconds)
                    }
                    return own
                }
            }
            return try await group.reduce(into: []) { $0 += $1 }
        }
        let elapsed = ContinuousClock.now - start
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        print(
            String(
                format: "checkout: %d orders by %d customers in %.2f s = %.0f orders/s; create-to-shipped p50 %.1f ms, p99 %.1f ms, max %.1f ms",
                sorted.count, customers, elapsed.milliseconds / 1000, Double(sorted.count) / (elapsed.milliseconds / 1000),
                percentile(0.5), percentile(0.99), sorted.last ?? 0
            )
        )
    }
}

extension Duration {
    fileprivate var milliseconds: Double { Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15 }
}
