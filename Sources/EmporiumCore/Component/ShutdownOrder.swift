public import ServiceLifecycle

// The one place that decides in which order a process's long-lived parts start and stop. A
// `ServiceGroup` starts its services in order and shuts them down in reverse, so whatever another
// part depends on comes first.

/// What one component runs beside its HTTP server.
///
/// The HTTP server stops first (Hummingbird runs it after these services), then the background
/// duties and consumers, then the relay, which publishes what they wrote, then the outbound
/// clients, and the database last.
public struct ComponentServices: Sendable {
    /// The component's own database, if it has one.
    public var database: ServiceDatabase?
    /// Its clients for calls to other components and external systems.
    public var clients: [OutboundHTTPClient]
    /// The relay that publishes its outbox; nil without a broker.
    public var relay: OutboxRelay?
    /// Its consumer groups; a nil entry (no broker) is left out.
    public var consumers: [EventConsumer?]
    /// Its background duties (``WakeableLoop``s, probes, key rotation).
    public var duties: [any Service]

    /// Names what a component runs; every part is optional.
    public init(
        database: ServiceDatabase? = nil,
        clients: [OutboundHTTPClient] = [],
        relay: OutboxRelay? = nil,
        consumers: [EventConsumer?] = [],
        duties: [any Service] = []
    ) {
        self.database = database
        self.clients = clients
        self.relay = relay
        self.consumers = consumers
        self.duties = duties
    }

    /// The services in the order they start; they stop in reverse.
    public var inStartOrder: [any Service] {
        var services: [any Service] = []
        if let database { services.append(database.service) }
        services += clients as [any Service]
        if let relay { services.append(relay) }
        services += consumers.compactMap { $0 }
        return services + duties
    }
}

/// What one process runs: the broker it connects to or embeds, its components, and the gateway
/// if it runs one.
///
/// The broker stops last, after every component that publishes to it or consumes from it; the
/// gateway stops first, so that it takes no more requests while the components behind it stop.
public struct ProcessServices: Sendable {
    /// The broker's service (the embedded broker, or the NATS connection).
    public var broker: (any Service)?
    /// The components other than the gateway.
    public var components: [any Service]
    /// The gateway's application.
    public var gateway: (any Service)?

    /// Names what a process runs.
    public init(broker: (any Service)? = nil, components: [any Service], gateway: (any Service)? = nil) {
        self.broker = broker
        self.components = components
        self.gateway = gateway
    }

    /// The services in the order they start; they stop in reverse.
    public var inStartOrder: [any Service] {
        (broker.map { [$0] } ?? []) + components + (gateway.map { [$0] } ?? [])
    }
}
