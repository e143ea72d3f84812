import EmailService
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

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The whole platform in one process: every service and simulator on its own loopback port,
/// each with its own SQLite file, behind the gateway, so that every synchronous call is real HTTP.
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

        func serviceSettings(_ component: Component) throws -> ServiceSettings {
            let path = URL(fileURLWithPath: options.dataDirectory).appendingPathComponent("\(component.rawValue).sqlite").path
            return ServiceSettings(server: loopback, database: .sqliteFile(path: path), seedDemoData: options.seedDemoData)
        }

        // Services first, so that their databases are migrated before anything can reach them.
        var services: [any Service] = [
            try await buildUserService(settings: serviceSettings(.user), logger: logger, onStarted: onStarted),
            try await buildProductService(settings: serviceSettings(.product), logger: logger, onStarted: onStarted),
            try await buildOrderService(settings: serviceSettings(.order), logger: logger, onStarted: onStarted),
            try await buildPaymentService(settings: serviceSettings(.payment), logger: logger, onStarted: onStarted),
            try await buildNotificationService(settings: serviceSettings(.notification), logger: logger, onStarted: onStarted),
            buildIdentityProviderSimulator(settings: loopback, logger: logger, onStarted: onStarted),
            buildPaymentGatewaySimulator(settings: loopback, logger: logger, onStarted: onStarted),
            buildEmailServiceSimulator(settings: loopback, logger: logger, onStarted: onStarted),
            buildShippingAPISimulator(settings: loopback, logger: logger, onStarted: onStarted),
        ]
        let gatewaySettings = GatewaySettings(
            server: HTTPServerSettings(host: options.host, port: options.gatewayPort, maxRequestBodyBytes: options.maxRequestBodyBytes),
            upstreamTimeout: options.upstreamTimeout,
            readinessTargets: Component.allCases.filter { $0 != .gateway }
        )
        // The gateway goes last: a group shuts down in reverse order, so it stops taking
        // requests before the components behind it stop.
        services.append(buildGateway(settings: gatewaySettings, directory: directory, logger: logger, onStarted: onStarted))
        return EmbeddedPlatform(services: services)
    }
}
