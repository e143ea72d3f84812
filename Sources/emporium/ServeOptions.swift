import ArgumentParser
import Contracts
import EmporiumCore

/// Where a component listens: the options every `serve` subcommand has.
struct ServerOptions: ParsableArguments {
    @Option(help: "The address to bind. (env: <C>_HTTP_HOST; default 127.0.0.1)")
    var host: String?

    @Option(help: "The port to bind; 0 picks a free one. (env: <C>_HTTP_PORT; default per component, 8080–8093)")
    var port: Int?

    @Option(help: "The largest request body accepted, in bytes. (env: <C>_HTTP_MAX_BODY_BYTES; default 1048576)")
    var maxBodyBytes: Int?

    @Option(help: "Which instance of the component this is, in every log line and health report. (env: <C>_INSTANCE_ID; default <host>-<pid>)")
    var instanceID: String?

    func apply(to flags: inout ConfigurationLayer, _ component: Component) {
        let scope = component.configScope
        flags.set("\(scope).http.host", host)
        flags.set("\(scope).http.port", port)
        flags.set("\(scope).http.max-body-bytes", maxBodyBytes)
        flags.set("\(scope).instance-id", instanceID)
    }
}

/// The database of a component that owns one.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "sqlite:<path> or postgres://user:password@host/db. (env: <C>_DATABASE_URL; required)")
    var databaseURL: String?

    @Option(help: "With a postgres:// database: the most connections this process opens to it. (env: <C>_DATABASE_MAX_CONNECTIONS; default 8)")
    var databaseMaxConnections: Int?

    func apply(to flags: inout ConfigurationLayer, _ component: Component) {
        flags.set("\(component.configScope).database.url", databaseURL)
        flags.set("\(component.configScope).database.max-connections", databaseMaxConnections)
    }
}

/// The identity provider's issuer URL: what a component's tokens must name, or the provider's own.
struct IssuerOption: ParsableArguments {
    @Option(
        help: """
            The identity provider's issuer URL, e.g. http://127.0.0.1:8090: tokens must name it, and their keys are \
            discovered from it; for idp, the URL it is reached at. (env: <C>_AUTH_ISSUER_URL, for idp IDP_ISSUER_URL; required)
            """
    )
    var issuerURL: String?

    func apply(to flags: inout ConfigurationLayer, _ component: Component) {
        flags.set(component == .idp ? "idp.issuer-url" : "\(component.configScope).auth.issuer-url", issuerURL)
    }
}

/// What only the five services have: demo data and the broker.
struct ServiceOptions: ParsableArguments {
    @Flag(help: "Seed demonstration data into an empty database. (env: <C>_DEMO_ENABLED)")
    var demo = false

    @Option(
        help: """
            The NATS JetStream server, nats://host:4222 (needs a build with --traits NATS). Without one, events wait in \
            the service's outbox. (env: <C>_BROKER_URL)
            """
    )
    var brokerURL: String?

    func apply(to flags: inout ConfigurationLayer, _ component: Component) {
        flags.set("\(component.configScope).demo.enabled", demo ? true : nil)
        flags.set("\(component.configScope).broker.url", brokerURL)
    }
}

/// Everything a service's process takes: where it listens, its database, the issuer, demo data
/// and the broker.
struct ServiceProcessOptions: ParsableArguments {
    @OptionGroup var server: ServerOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var issuer: IssuerOption
    @OptionGroup var service: ServiceOptions

    func apply(to flags: inout ConfigurationLayer, _ component: Component) {
        server.apply(to: &flags, component)
        database.apply(to: &flags, component)
        issuer.apply(to: &flags, component)
        service.apply(to: &flags, component)
    }
}
