public import Contracts
public import Logging

/// The asynchronous half of a service: its outbox, the relay that publishes it, and the consumer
/// groups it declares with ``consumer(_:handler:retry:)``.
///
/// Every service database carries the outbox, inbox and dead-letter tables (``migrations``), so
/// that any service can publish and consume and operators can inspect any of them the same way.
/// Without a broker the relay and the consumers are nil: events wait in the outbox until one is
/// configured, and nothing is consumed.
public struct ServiceMessaging: Sendable {
    /// The tables every service database has.
    public static let migrations = Outbox.migrations + DeadLetterStore.migrations

    /// Where the service writes its events, in its own transactions.
    public let outbox: Outbox
    /// The relay that publishes the outbox; nil without a broker.
    public let relay: OutboxRelay?
    private let database: ServiceDatabase
    private let broker: (any MessageBroker)?
    private let logger: Logger

    /// Sets up messaging over `database`.
    /// - Parameters:
    ///   - service: The service's name, for metrics.
    ///   - database: The service's database, with ``migrations`` applied.
    ///   - broker: The broker, or nil to keep events in the outbox for now.
    ///   - logger: The service's logger.
    public init(service: String, database: ServiceDatabase, broker: (any MessageBroker)?, logger: Logger) {
        let doorbell = Doorbell()
        self.outbox = Outbox(database: database, doorbell: doorbell)
        self.database = database
        self.broker = broker
        self.logger = logger
        if broker == nil {
            logger.warning("No message broker configured: events wait in the outbox until one is")
        }
        self.relay = broker.map { OutboxRelay(service: service, database: database, broker: $0, doorbell: doorbell, logger: logger) }
    }

    /// One of the service's consumer groups; nil without a broker.
    /// - Parameters:
    ///   - name: The group's name, `<service>.<purpose>`, the same for every instance.
    ///   - handler: What it does with each event; its ``EventHandler/eventTypes`` are what it receives.
    ///   - retry: Attempts before an event becomes a dead letter, and the backoff between them.
    public func consumer(_ name: String, handler: any EventHandler, retry: RetryPolicy = RetryPolicy()) -> EventConsumer? {
        broker.map {
            EventConsumer(name: name, handler: handler, database: database, broker: $0, retry: retry, doorbell: outbox.doorbell, logger: logger)
        }
    }

    /// One of the platform's consumer groups, as ``PlatformTopology`` names it: its handler must
    /// take exactly the event types the topology routes to it, or the console's diagram would
    /// lie; a mismatch stops the build's tests (a precondition, checked at start).
    public func consumer(_ group: PlatformTopology.ConsumerGroup, handler: any EventHandler, retry: RetryPolicy = RetryPolicy()) -> EventConsumer? {
        precondition(
            Set(handler.eventTypes) == Set(PlatformTopology.eventTypes(consumedBy: group)),
            "\(group.name) takes \(handler.eventTypes.sorted()), PlatformTopology routes it \(PlatformTopology.eventTypes(consumedBy: group).sorted())"
        )
        return broker.map { broker in
            EventConsumer(
                name: group.name, handler: handler, database: database, broker: broker, retry: retry, doorbell: outbox.doorbell, logger: logger)
        }
    }
}
