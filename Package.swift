// swift-tools-version:6.2
import PackageDescription

/// One set of Swift settings for every target, as Hummingbird's own manifest does.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

/// Settings of the targets that hold NATS code: `#if NATS` is true only with the trait enabled.
let natsSettings = swiftSettings + [.define("NATS", .when(traits: ["NATS"]))]

let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let fluentKit = Target.Dependency.product(name: "FluentKit", package: "fluent-kit")
let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
let httpTypes = Target.Dependency.product(name: "HTTPTypes", package: "swift-http-types")
let hummingbirdTesting = Target.Dependency.product(name: "HummingbirdTesting", package: "hummingbird")
let jwtKit = Target.Dependency.product(name: "JWTKit", package: "jwt-kit")
let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")
let tracing = Target.Dependency.product(name: "Tracing", package: "swift-distributed-tracing")

/// A service or simulator library: the shared core plus what every component uses.
func component(_ name: String, _ extra: [Target.Dependency] = []) -> Target {
    .target(name: name, dependencies: ["EmporiumCore", "Contracts", hummingbird, logging, tracing] + extra, swiftSettings: swiftSettings)
}

func tests(_ name: String, _ dependencies: [Target.Dependency], exclude: [String] = []) -> Target {
    .testTarget(name: name, dependencies: dependencies + [hummingbird, hummingbirdTesting, nioCore], exclude: exclude, swiftSettings: swiftSettings)
}

let package = Package(
    name: "emporium",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "emporium", targets: ["emporium"]),
        .executable(name: "emporium-bench", targets: ["EmporiumBench"]),
        .executable(name: "emporium-drill", targets: ["EmporiumDrill"]),
    ],
    traits: [
        .trait(
            name: "NATS",
            description:
                "NATS JetStream for the distributed mode, through nats.c (Debian's libnats-dev). Off by default, so that a plain build needs only the toolchain."
        )
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        // Already built under FluentSQLiteDriver; named for the outbox relay's own reading connection (ADR 16).
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        // Already built as FluentKit's own dependency; named so that a pool timeout maps to a 503.
        .package(url: "https://github.com/vapor/async-kit.git", from: "1.22.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-configuration.git", from: "1.4.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-distributed-tracing.git", from: "1.7.3"),
        .package(url: "https://github.com/apple/swift-service-context.git", from: "1.5.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        // Already built as Hummingbird's own dependency; named for the HTTP parts the gateway's fast path handles (ADR 36).
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/jwt-kit.git", from: "5.8.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        // Reads the OpenAPI document, so that it is written once, in YAML, and served as JSON too (ADR 24).
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        // The client generated from the OpenAPI document (ADR 26).
        .package(url: "https://github.com/apple/swift-openapi-generator.git", from: "1.14.3"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client.git", from: "1.5.0"),
        // Exports spans over OTLP/HTTP to any collector (ADR 33); HTTP only, gRPC left out of the build.
        .package(url: "https://github.com/swift-otel/swift-otel.git", from: "1.6.0", traits: ["OTLPHTTP"]),
    ],
    targets: [
        .target(name: "Contracts", swiftSettings: swiftSettings),
        .target(
            name: "EmporiumCore",
            dependencies: [
                "Contracts", hummingbird, logging, fluentKit, nioCore,
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "AsyncKit", package: "async-kit"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Instrumentation", package: "swift-distributed-tracing"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
                .product(name: "ServiceContextModule", package: "swift-service-context"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "OTel", package: "swift-otel"),
                jwtKit, crypto,
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "APIContract",
            dependencies: [.product(name: "Yams", package: "Yams")],
            resources: [.copy("openapi.yaml")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "EmporiumClient",
            dependencies: [
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
                .product(name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client"),
                httpTypes, nioCore,
            ],
            // The generated files import publicly what some of them do not use, which Swift 6.3 warns
            // about (the generator silences it from 6.4 on); the target holds no hand-written code but
            // EmporiumAPI.swift, so its warnings are silenced rather than left to drown real ones.
            swiftSettings: swiftSettings + [.unsafeFlags(["-suppress-warnings"])],
            plugins: [.plugin(name: "OpenAPIGenerator", package: "swift-openapi-generator")]
        ),
        component(
            "Gateway",
            [
                "APIContract",
                nioCore,
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "EmbeddedBroker",
            dependencies: [
                "EmporiumCore", logging, fluentKit,
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(name: "CNats", pkgConfig: "libnats", providers: [.apt(["libnats-dev"])]),
        .target(
            name: "NATSBroker",
            dependencies: [
                "EmporiumCore", logging,
                .target(name: "CNats", condition: .when(traits: ["NATS"])),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: natsSettings
        ),
        component(
            "UserService",
            [
                fluentKit, nioCore, httpTypes,
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        component(
            "ProductService",
            [fluentKit, .product(name: "FluentSQL", package: "fluent-kit"), .product(name: "SQLKit", package: "sql-kit"), httpTypes, crypto]
        ),
        component(
            "OrderService",
            [
                "ShippingAPI", fluentKit, httpTypes, .product(name: "SQLKit", package: "sql-kit"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        component(
            "PaymentService",
            [
                "PaymentGateway", fluentKit, httpTypes, .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "NIOHTTP1", package: "swift-nio"), .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "NotificationService",
            dependencies: [
                "EmporiumCore", "Contracts", "EmailService", hummingbird, logging, fluentKit, tracing,
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Templates")],
            swiftSettings: swiftSettings
        ),
        component(
            "IdentityProvider",
            [
                fluentKit, jwtKit, crypto, nioCore, httpTypes,
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
            ]
        ),
        // What the simulators of external systems share (injected faults); no service links it.
        .target(
            name: "SimulatorSupport",
            dependencies: ["EmporiumCore", hummingbird, httpTypes, .product(name: "Configuration", package: "swift-configuration")],
            swiftSettings: swiftSettings
        ),
        component(
            "PaymentGateway",
            [
                "SimulatorSupport",
                fluentKit, nioCore, httpTypes, .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Configuration", package: "swift-configuration"),
            ]
        ),
        component(
            "EmailService",
            [nioCore, .product(name: "NIOPosix", package: "swift-nio"), .product(name: "NIOSSL", package: "swift-nio-ssl")]
        ),
        // The simulated email service: an SMTP server writing .eml files, with injected faults.
        component(
            "EmailSimulator",
            [
                "SimulatorSupport", nioCore, .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
            ]
        ),
        component(
            "ShippingAPI",
            [
                "SimulatorSupport",
                fluentKit, httpTypes, nioCore, .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "Configuration", package: "swift-configuration"),
            ]
        ),
        // What the web components (storefront, console) share: templates, static files, security
        // headers and the identity provider's code flow.
        .target(
            name: "WebSupport",
            dependencies: [
                "EmporiumCore", "Contracts", hummingbird, httpTypes, crypto, nioCore,
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Storefront",
            dependencies: [
                "EmporiumCore", "Contracts", "EmporiumClient", "WebSupport", hummingbird, logging, fluentKit, httpTypes, crypto, nioCore, jwtKit,
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime"),
            ],
            resources: [.copy("Templates"), .copy("Assets")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Console",
            dependencies: [
                "EmporiumCore", "Contracts", "WebSupport", "SimulatorSupport", hummingbird, logging, httpTypes, crypto, nioCore, jwtKit,
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            resources: [.copy("Templates"), .copy("Assets")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "EmbeddedPlatform",
            dependencies: [
                "EmporiumCore", "EmbeddedBroker", "Gateway", "UserService", "ProductService", "OrderService", "PaymentService",
                "NotificationService", "Storefront", "Console", "IdentityProvider", "PaymentGateway", "EmailService", "EmailSimulator", "ShippingAPI",
                logging,
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "emporium",
            dependencies: [
                "EmbeddedPlatform", "NATSBroker", "EmporiumCore", "Gateway", "UserService", "ProductService", "OrderService",
                "PaymentService", "NotificationService", "Storefront", "Console", "IdentityProvider", "PaymentGateway", "EmailService",
                "EmailSimulator",
                "ShippingAPI", logging,
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
            ],
            swiftSettings: natsSettings
        ),
        // The golden files are read through #filePath, not bundled.
        .testTarget(name: "APIContractTests", dependencies: ["APIContract"], swiftSettings: swiftSettings),
        .testTarget(name: "ContractsTests", dependencies: ["Contracts"], exclude: ["Golden"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "EmporiumBench",
            dependencies: [
                "EmporiumCore", "EmbeddedBroker", "NATSBroker", "EmbeddedPlatform", "Gateway", "Contracts", "EmporiumClient", logging, fluentKit,
                nioCore,
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: natsSettings
        ),
        .executableTarget(
            name: "EmporiumDrill",
            dependencies: [
                "EmporiumCore", "EmbeddedBroker", logging, .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            swiftSettings: swiftSettings
        ),
        // Shared by the test targets only; no product links it.
        .target(
            name: "EmporiumTestSupport",
            dependencies: [
                "EmporiumCore", hummingbird, jwtKit, logging, nioCore, .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "SQLKit", package: "sql-kit"),
            ],
            // The SMTP server script is run by SMTPSinkProcess, not compiled.
            exclude: ["SMTPSink"],
            swiftSettings: swiftSettings
        ),
        tests(
            "EmporiumCoreTests",
            [
                "EmporiumCore", "Contracts", .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"), tracing,
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]
        ),
        tests("ConsoleTests", ["Console", "Contracts", "EmporiumCore"]),
        tests("StorefrontTests", ["Storefront", "EmporiumClient", "EmporiumCore", logging, .product(name: "SQLKit", package: "sql-kit")]),
        tests(
            "GatewayTests",
            [
                "Gateway", "EmporiumCore", "Contracts", "EmporiumTestSupport", httpTypes,
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), logging,
            ]
        ),
        tests(
            "IdentityTests",
            [
                "IdentityProvider", "EmporiumCore", "Contracts", "EmporiumTestSupport", jwtKit, crypto, logging, httpTypes,
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            // The jwcrypto issuer script is run by InteropTests, not compiled.
            exclude: ["Interop"]
        ),
        .testTarget(
            name: "NATSBrokerTests",
            dependencies: [
                "NATSBroker", "EmporiumCore", "Contracts", "EmporiumTestSupport", logging, fluentKit,
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: natsSettings
        ),
        tests(
            "MessagingTests",
            [
                "EmporiumCore", "EmbeddedBroker", "Contracts", "EmporiumTestSupport", logging, fluentKit,
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "ServiceContextModule", package: "swift-service-context"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "InMemoryTracing", package: "swift-distributed-tracing"),
                .product(name: "Tracing", package: "swift-distributed-tracing"),
            ]
        ),
        tests(
            "SimulatorTests",
            [
                "PaymentGateway", "ShippingAPI", "EmailSimulator", "EmailService", "SimulatorSupport", "EmporiumCore", "Contracts", httpTypes,
                logging,
                .product(name: "SQLKit", package: "sql-kit"), .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        tests(
            "ProductServiceTests",
            [
                "ProductService", "EmporiumCore", "Contracts", "EmporiumTestSupport", "EmbeddedBroker", httpTypes, logging,
                .product(name: "SQLKit", package: "sql-kit"),
            ]
        ),
        tests(
            "PaymentServiceTests",
            [
                "PaymentService", "PaymentGateway", "EmporiumCore", "Contracts", "EmporiumTestSupport", logging, httpTypes,
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        tests("UserServiceTests", ["UserService", "EmporiumCore", "Contracts", "EmporiumTestSupport", logging, httpTypes]),
        tests("EmailServiceTests", ["EmailService", "EmporiumCore", "EmporiumTestSupport", logging]),
        tests(
            "NotificationServiceTests",
            [
                "NotificationService", "EmailService", "EmporiumCore", "Contracts", "EmporiumTestSupport", "EmbeddedBroker", logging,
                .product(name: "SQLKit", package: "sql-kit"),
            ]
        ),
        tests(
            "OrderServiceTests",
            [
                "OrderService", "EmporiumCore", "Contracts", "EmbeddedBroker", "ShippingAPI", logging, .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        tests(
            "EmbeddedPlatformTests",
            [
                "EmbeddedPlatform", "APIContract", "EmporiumCore", "Contracts", "Gateway", "UserService", "OrderService", "PaymentService",
                "NotificationService", "Storefront", "IdentityProvider", "PaymentGateway", "ShippingAPI", logging, httpTypes,
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
    ]
)
